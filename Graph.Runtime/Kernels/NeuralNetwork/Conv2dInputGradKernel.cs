using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// conv2d_input_grad, the transposed convolution: per sample and group, columns [K, L] = wᵀ · grad [Og, L],
/// then each column element is added back at its input position (col2im). A pointwise convolution's input
/// gradient is the product itself.
/// </summary>
internal sealed class Conv2dInputGradKernel<T> : Kernel
    where T : unmanaged, INumber<T>
{
    private readonly Tensor _grad;
    private readonly Tensor _w;
    private readonly Tensor _dx;
    private readonly KernelContext _context;
    private readonly Conv2dGeometry _g;

    internal Conv2dInputGradKernel(KernelBinding b)
        : base(b.Node)
    {
        (_grad, _w, _dx, _context) = (b.Input(0), b.Input(1), b.Output, b.Context);
        _g = new Conv2dGeometry(_dx.Shape, _w.Shape, _grad.Shape, b.Node.Attributes);
        _context.ReserveScratch((long)_g.ColumnCount * _dx.DType.SizeInBytes());
    }

    public override void Run()
    {
        Conv2dGeometry g = _g;
        ReadOnlySpan<T> grad = _grad.AsSpan<T>();
        ReadOnlySpan<T> w = _w.AsSpan<T>();
        Span<T> dx = _dx.AsSpan<T>();
        Span<T> columns = _context.Scratch<T>(g.ColumnCount);
        int weightBlock = g.GroupOutChannels * g.K;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int group = 0; group < g.Groups; group++)
            {
                ReadOnlySpan<T> gradient = grad.Slice(((n * g.OutChannels) + (group * g.GroupOutChannels)) * g.L, g.GroupOutChannels * g.L);
                Span<T> input = dx.Slice(((n * g.Channels) + (group * g.GroupChannels)) * g.Plane, g.GroupChannels * g.Plane);
                Span<T> product = g.IsPointwise ? input : columns;
                MatrixMultiply.Multiply(_context, true, false, g.K, g.L, g.GroupOutChannels, w.Slice(group * weightBlock, weightBlock), g.K, gradient, g.L, product, g.L, accumulate: false);
                if (!g.IsPointwise)
                {
                    input.Clear();
                    Im2Col.ScatterAdd(g, columns, input);
                }
            }
        }
    }
}
