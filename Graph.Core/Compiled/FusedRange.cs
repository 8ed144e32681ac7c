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
}
