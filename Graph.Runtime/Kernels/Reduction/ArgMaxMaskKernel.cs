using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>argmax_mask: 1 at the first maximum along the axis (a NaN counts as the maximum, as in PyTorch), 0 elsewhere.</summary>
internal sealed class ArgMaxMaskKernel<T> : Kernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly int _outer;
    private readonly int _size;
    private readonly int _inner;

    internal ArgMaxMaskKernel(KernelBinding b)
        : base(b.Node)
    {
        (_x, _y) = (b.Input(0), b.Output);
        (_outer, _size, _inner) = AxisLayout.Split(_x.Shape, (int)b.Node.Attributes.Values["axis"]);
    }

    public override void Run()
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        y.Clear();
        for (int o = 0; o < _outer; o++)
        {
            for (int i = 0; i < _inner; i++)
            {
                int start = (o * _size * _inner) + i;
                int best = start;
                for (int k = 1; k < _size; k++)
                {
                    int at = start + (k * _inner);
                    if (!T.IsNaN(x[best]) && (x[at] > x[best] || T.IsNaN(x[at])))
                    {
                        best = at;
                    }
                }

                y[best] = T.One;
            }
        }
    }
}

/// <summary>Picks <see cref="ArgMaxMaskKernel{T}"/> by dtype.</summary>
internal static class ArgMaxMaskKernel
{
    public static Kernel Create(KernelBinding b) => b.IsFloat32 ? new ArgMaxMaskKernel<float>(b) : new ArgMaxMaskKernel<double>(b);
}
