namespace ModelMonitoring.Sketches;

/// <summary>
/// The sizes a baseline file may declare, checked before anything is allocated from them: the text itself, then
/// every array and map as <see cref="BaselineJsonReader"/> fills it, element by element. The scalar sizes
/// (<c>max_categories</c>, <c>max_category_length</c>, <c>sketch.k</c>) and the total memory the sketches would take are checked by <see cref="BaselineProfile"/> before it builds any profile.
/// </summary>
internal static class BaselineLimits
{
    /// <summary>The largest baseline file (or JSON text, in UTF-8 bytes) read: 512 MiB.</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>The most features a baseline may hold.</summary>
    public const int MaxFeatures = 100_000;

    /// <summary>The most memory the restored sketches of one baseline may take together: 1 GiB (about 20,000 features at K = 2048).</summary>
    public const long MaxSketchBytes = 1L << 30;

    /// <summary>The most reference chunks a feature may store.</summary>
    public const int MaxChunks = 1000;
}
