using System.Buffers;
using System.ComponentModel;

namespace ModelMonitoring.Runtime;

/// <summary>
/// The input features of a batch, read before the model runs (so that a model that changes its inputs in place does
/// not change what is recorded). Backed by pooled arrays: no allocation once the pool is warm. Call
/// <see cref="Return"/> when the rows are written.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct CapturedBatch
{
    private double[]? _numbers;
    private string?[]? _labels;
    private readonly int _numberSlots;
    private readonly int _labelSlots;

    private CapturedBatch(int count, int numberSlots, int labelSlots)
    {
        Count = count;
        _numberSlots = numberSlots;
        _labelSlots = labelSlots;
        _numbers = count * numberSlots > 0 ? ArrayPool<double>.Shared.Rent(count * numberSlots) : [];
        _labels = count * labelSlots > 0 ? ArrayPool<string?>.Shared.Rent(count * labelSlots) : [];
    }

    /// <summary>How many items the batch holds.</summary>
    public readonly int Count { get; }

    /// <summary>Rents storage for <paramref name="items"/> items of the given numbers of slots.</summary>
    public static CapturedBatch Rent(int items, int numberSlots, int labelSlots) =>
        new(Math.Max(items, 0), Math.Max(numberSlots, 0), Math.Max(labelSlots, 0));

    /// <summary>Sets a number of an item; NaN means missing.</summary>
    public readonly void SetNumber(int item, int slot, double value) => _numbers![(item * _numberSlots) + slot] = value;

    /// <summary>Sets a number of an item; <see langword="null"/> means missing.</summary>
    public readonly void SetNumber(int item, int slot, double? value) => SetNumber(item, slot, value ?? double.NaN);

    /// <summary>Sets a label of an item; <see langword="null"/> means missing.</summary>
    public readonly void SetLabel(int item, int slot, string? value) => _labels![(item * _labelSlots) + slot] = value;

    /// <summary>A number of an item.</summary>
    public readonly double GetNumber(int item, int slot) => _numbers![(item * _numberSlots) + slot];

    /// <summary>A label of an item.</summary>
    public readonly string? GetLabel(int item, int slot) => _labels![(item * _labelSlots) + slot];

    /// <summary>Gives the arrays back to the pool, clearing the labels first (the pool must not keep the caller's strings alive).</summary>
    public void Return()
    {
        if (_numbers is { Length: > 0 } numbers)
        {
            ArrayPool<double>.Shared.Return(numbers);
        }

        if (_labels is { Length: > 0 } labels)
        {
            Array.Clear(labels, 0, Math.Min(labels.Length, Count * _labelSlots));
            ArrayPool<string?>.Shared.Return(labels);
        }

        _numbers = null;
        _labels = null;
    }
}
