using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>argmax: the index of the first maximum along the axis (a NaN counts as the maximum, as in PyTorch), as int64.</summary>
internal sealed class ArgMaxKernel<T> : Kernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly int _outer;
    private readonly int _size;
    private readonly int _inner;

    internal ArgMaxKernel(KernelBinding b)
        : base(b.Node)
    {
        (_x, _y) = (b.Input(0), b.Output);
        (_outer, _size, _inner) = AxisLayout.Split(_x.Shape, ((int[])b.Node.Attributes.Values["axes"])[0]);
    }

    public override void Run()
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<long> y = _y.AsSpan<long>();
        for (int o = 0; o < _outer; o++)
        {
            for (int i = 0; i < _inner; i++)
            {
                int start = (o * _size * _inner) + i;
                int best = 0;
                for (int k = 1; k < _size; k++)
                {
                    T current = x[start + (best * _inner)];
                    T candidate = x[start + (k * _inner)];
                    if (!T.IsNaN(current) && (candidate > current || T.IsNaN(candidate)))
                    {
                        best = k;
                    }
                }

                y[(o * _inner) + i] = best;
            }
        }
    }
}

/// <summary>Picks <see cref="ArgMaxKernel{T}"/> by the input's dtype.</summary>
internal static class ArgMaxKernel
{
    public static Kernel Create(KernelBinding b) => b.Input(0).DType == DType.Float32 ? new ArgMaxKernel<float>(b) : new ArgMaxKernel<double>(b);
}
