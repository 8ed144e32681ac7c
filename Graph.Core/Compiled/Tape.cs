namespace Graph.Core;

/// <summary>A linear list of op applications, run in order: each step computes one value from values computed or fed before it.</summary>
public sealed class Tape
{
    internal Tape(IReadOnlyList<Value> steps, IReadOnlyList<FusedRange>? fusions = null)
    {
        Steps = steps;
        Fusions = fusions ?? [];
    }

    /// <summary>The values the tape computes, in execution order.</summary>
    public IReadOnlyList<Value> Steps { get; }

    /// <summary>Runs of steps the runtime executes tile by tile, in order and disjoint.</summary>
    public IReadOnlyList<FusedRange> Fusions { get; }
}
