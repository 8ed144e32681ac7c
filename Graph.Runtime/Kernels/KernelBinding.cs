using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>What a kernel is bound to: its node, the tensors of the node's inputs, and the tensor it writes.</summary>
/// <param name="Node">The node to compute.</param>
/// <param name="Inputs">One tensor per node input, in order.</param>
/// <param name="Output">The node's tensor.</param>
/// <param name="Context">Session-wide resources kernels share (GEMM workspaces).</param>
/// <param name="AddInto">
/// A leaf's stored gradient (whose tensor is then <paramref name="Output"/>) that the kernel accumulates its result into
/// directly instead of overwriting its output (only ops in <see cref="KernelRegistry.CanAddToOutput"/>): it adds, or
/// overwrites while the gradient is zero in name (<see cref="Execution.GradientBuffer.IsZero"/>), then marks it written.
/// </param>
internal sealed record KernelBinding(Value Node, Tensor[] Inputs, Tensor Output, KernelContext Context, Execution.GradientBuffer? AddInto = null)
{
    /// <summary>True when the kernel accumulates into <see cref="AddInto"/>.</summary>
    public bool AddToOutput => AddInto is not null;

    /// <summary>
    /// Whether this run adds into the output: only when accumulating into a gradient that holds values. Marks the
    /// gradient as holding values from now on, so call it once per run, before writing.
    /// </summary>
    public static bool BeginAccumulation(Execution.GradientBuffer? addInto)
    {
        if (addInto is null)
        {
            return false;
        }

        bool add = !addInto.IsZero;
        addInto.IsZero = false;
        return add;
    }

    /// <summary>Input <paramref name="index"/>.</summary>
    public Tensor Input(int index) => Inputs[index];

    /// <summary>True when the node's output is float32 (otherwise the float kernels run in float64).</summary>
    public bool IsFloat32 => Output.DType == DType.Float32;
}
