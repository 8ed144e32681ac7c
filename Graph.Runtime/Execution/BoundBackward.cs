using Graph.Core;
using Graph.Runtime.Kernels;

namespace Graph.Runtime.Execution;

/// <summary>A backward plan bound to one session's memory: the seed's tensor, the kernels, and the accumulations.</summary>
internal sealed class BoundBackward(BackwardPlan plan, int index, Tensor seed, BoundTape tape, (int TargetId, Tensor Target, Tensor Gradient)[] accumulations)
{
    public BackwardPlan Plan { get; } = plan;

    /// <summary>The plan's position among the compiled graph's backward plans (its tape is timeline segment 1 + Index).</summary>
    public int Index { get; } = index;

    public Tensor Seed { get; } = seed;

    public BoundTape Tape { get; } = tape;

    public (int TargetId, Tensor Target, Tensor Gradient)[] Accumulations { get; } = accumulations;
}
