namespace Graph.Core;

/// <summary>A linear list of op applications, run in order: each step computes one value from values computed or fed before it.</summary>
public sealed class Tape
{
    internal Tape(IReadOnlyList<Value> steps)
    {
        Steps = steps;
    }

    /// <summary>The values the tape computes, in execution order.</summary>
    public IReadOnlyList<Value> Steps { get; }
}
