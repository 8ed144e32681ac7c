using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime.Kernels;

/// <summary>
/// An evaluation-mode batch norm, y = x·scale + shift per channel, and optionally a ReLU after it, applied to a
/// convolution's output channel by channel while the run is still in cache. The scale and shift are computed as
/// <see cref="BatchNormKernel{T}"/> computes them, and applied with the same TensorPrimitives calls (a multiply, an
/// add, a maximum with 0; never a fused multiply-add), so the fused result is bitwise that of the three separate steps.
/// </summary>
internal readonly struct BatchNormEpilogue<T>(T[] scale, T[] shift, bool relu) : IChannelEpilogue<T>
    where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public bool IsEmpty => false;

    /// <inheritdoc/>
    public void Apply(int channel, Span<T> run)
    {
        TensorPrimitives.Multiply(run, scale[channel], run);
        TensorPrimitives.Add(run, shift[channel], run);
        if (relu)
        {
            TensorPrimitives.Max(run, T.Zero, run);
        }
    }
}
