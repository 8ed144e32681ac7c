using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// conv2d by im2col and a matrix product: per sample and group, y [Og, L] = w [Og, K] · columns [K, L]. A
/// pointwise convolution multiplies the input itself. The columns live in the session's shared scratch.
/// </summary>
internal sealed class Conv2dKernel<T> : Kernel
    where T : unmanaged, INumber<T>
{
    private readonly Tensor _x;
    private readonly Tensor _w;
    private readonly Tensor _y;
    private readonly KernelContext _context;
    private readonly Conv2dGeometry _g;

    internal Conv2dKernel(KernelBinding b)
        : base(b.Node)
    {
        (_x, _w, _y, _context) = (b.Input(0), b.Input(1), b.Output, b.Context);
        _g = new Conv2dGeometry(_x.Shape, _w.Shape, _y.Shape, b.Node.Attributes);
        _context.ReserveScratch((long)_g.ColumnCount * _x.DType.SizeInBytes());
    }

    public override void Run()
    {
        Conv2dGeometry g = _g;
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        ReadOnlySpan<T> w = _w.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        Span<T> columns = _context.Scratch<T>(g.ColumnCount);
        int weightBlock = g.GroupOutChannels * g.K;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int group = 0; group < g.Groups; group++)
            {
                ReadOnlySpan<T> input = x.Slice(((n * g.Channels) + (group * g.GroupChannels)) * g.Plane, g.GroupChannels * g.Plane);
                if (!g.IsPointwise)
                {
                    Im2Col.Gather(g, input, columns);
                    input = columns;
                }

                Span<T> output = y.Slice(((n * g.OutChannels) + (group * g.GroupOutChannels)) * g.L, g.GroupOutChannels * g.L);
                MatrixMultiply.Multiply(_context, false, false, g.GroupOutChannels, g.L, g.K, w.Slice(group * weightBlock, weightBlock), g.K, input, g.L, output, g.L, accumulate: false);
            }
        }
    }
}

/// <summary>Picks the convolution kernels by dtype.</summary>
internal static class Conv2dKernels
{
    public static Kernel Conv2d(KernelBinding b) => b.IsFloat32 ? new Conv2dKernel<float>(b) : new Conv2dKernel<double>(b);

    public static Kernel InputGrad(KernelBinding b) => b.IsFloat32 ? new Conv2dInputGradKernel<float>(b) : new Conv2dInputGradKernel<double>(b);

    public static Kernel WeightGrad(KernelBinding b) => b.IsFloat32 ? new Conv2dWeightGradKernel<float>(b) : new Conv2dWeightGradKernel<double>(b);
}
