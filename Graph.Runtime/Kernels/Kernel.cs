using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// One instruction of a tape, bound once (when a session is created) to its node and to the tensors it
/// reads and writes. <see cref="Run"/> is called every step and must not allocate.
/// </summary>
internal abstract class Kernel(Value node)
{
    /// <summary>The node this kernel computes.</summary>
    public Value Node { get; } = node;

    /// <summary>The op the profiler reports this kernel under: the node's, or the names of the steps a fused kernel runs.</summary>
    public virtual string OpName => Node.Op!.Name;

    /// <summary>Computes the node's value from its inputs.</summary>
    public abstract void Run();

    /// <summary>An error that names the node and the op, for bad data found at run time.</summary>
    protected InvalidOperationException Failure(string reason) =>
        new($"{Node.Op!.Name} '{Node.Name}'{(Node.Source is null ? string.Empty : $" at {Node.Source}")}: {reason}");
}
