using ModelMonitoring.Sketches;

namespace ModelMonitoring;

/// <summary>A window the folder closed, on its way to the evaluator.</summary>
/// <param name="Model">The model.</param>
/// <param name="State">The key (model or segment) the window belongs to; its spare profiles get the window's back.</param>
/// <param name="Window">The closed window, with its profiles.</param>
/// <param name="Reference">The reference to compare it with; null when there is none (or it became the reference).</param>
/// <param name="BecameReference">Whether the window is now its key's reference (the first window, without a baseline).</param>
internal sealed record ClosedWindow(ModelMonitor Model, WindowState State, FeatureWindowSnapshot Window, BaselineProfile? Reference, bool BecameReference);
