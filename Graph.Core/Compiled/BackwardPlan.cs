namespace Graph.Core;

/// <summary>How to differentiate one gradient root: feed its seed, run the tape, accumulate the gradients.</summary>
public sealed class BackwardPlan
{
    internal BackwardPlan(Value root, Value seed, Tape tape, IReadOnlyList<GradientAccumulation> accumulations)
    {
        Root = root;
        Seed = seed;
        Tape = tape;
        Accumulations = accumulations;
    }

    /// <summary>The value differentiated, usually a scalar loss.</summary>
    public Value Root { get; }

    /// <summary>The leaf fed with the incoming gradient of <see cref="Root"/> (1 for a scalar loss).</summary>
    public Value Seed { get; }

    /// <summary>The vector-Jacobian products, as steps.</summary>
    public Tape Tape { get; }

    /// <summary>Where the results go.</summary>
    public IReadOnlyList<GradientAccumulation> Accumulations { get; }
}
