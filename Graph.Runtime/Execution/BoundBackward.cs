using Graph.Core;

namespace Graph.Runtime.Execution;

/// <summary>A backward plan bound to one session's memory: the seed's tensor and the tape with its accumulations.</summary>
internal sealed class BoundBackward(BackwardPlan plan, Tensor seed, BoundTape tape)
{
    public BackwardPlan Plan { get; } = plan;

    public Tensor Seed { get; } = seed;

    public BoundTape Tape { get; } = tape;
}
