using Graph.Core;

namespace Graph.Runtime.Execution;

/// <summary>A backward plan bound to one session's memory: the seed's tensor and the tape with its accumulations.</summary>
internal sealed class BoundBackward(BackwardPlan plan, int index, Tensor seed, BoundTape tape)
{
    public BackwardPlan Plan { get; } = plan;

    /// <summary>The plan's position among the compiled graph's backward plans (its tape is timeline segment 1 + Index).</summary>
    public int Index { get; } = index;

    public Tensor Seed { get; } = seed;

    public BoundTape Tape { get; } = tape;
}
