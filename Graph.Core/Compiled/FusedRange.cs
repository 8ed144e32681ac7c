namespace Graph.Core;

/// <summary>
/// Consecutive steps of a tape that run tile by tile: every step is elementwise over one shape, so the runtime
/// runs all of them on the first few thousand elements, then the next, keeping the intermediates in cache.
/// </summary>
/// <param name="Start">The first step's index in the tape.</param>
/// <param name="Count">How many steps (at least two).</param>
public readonly record struct FusedRange(int Start, int Count)
{
    /// <summary>The index after the last step.</summary>
    public int End => Start + Count;

    /// <summary>
    /// Whether <paramref name="step"/> can run tile by tile in a range over <paramref name="shape"/>: an
    /// elementwise op of the in-place family producing that shape, whose operands have that shape or one element.
    /// The compiler fuses only such steps, and a loader accepts only such ranges.
    /// </summary>
    internal static bool CanTile(Value step, Shape shape) =>
        step.Op is { } op
        && op.Traits.HasFlag(Operations.OpTraits.ElementwiseInPlace)
        && step.Shape == shape
        && step.Inputs.All(input => input.Shape == shape || input.Shape.ElementCount == 1);
}
