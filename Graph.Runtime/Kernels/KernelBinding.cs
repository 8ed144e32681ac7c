using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>What a kernel is bound to: its node, the tensors of the node's inputs, and the tensor it writes.</summary>
/// <param name="Node">The node to compute.</param>
/// <param name="Inputs">One tensor per node input, in order.</param>
/// <param name="Output">The node's tensor.</param>
/// <param name="Context">Session-wide resources kernels share (GEMM workspaces).</param>
/// <param name="AddToOutput">
/// Add the result into <paramref name="Output"/> instead of overwriting it: the output is then a leaf's stored
/// gradient, which the kernel accumulates into directly (only ops in <see cref="KernelRegistry.CanAddToOutput"/>).
/// </param>
internal sealed record KernelBinding(Value Node, Tensor[] Inputs, Tensor Output, KernelContext Context, bool AddToOutput = false)
{
    /// <summary>Input <paramref name="index"/>.</summary>
    public Tensor Input(int index) => Inputs[index];

    /// <summary>True when the node's output is float32 (otherwise the float kernels run in float64).</summary>
    public bool IsFloat32 => Output.DType == DType.Float32;
}
