using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// conv2d_weight_grad: per sample and group, dw [Og, K] += grad [Og, L] · columnsᵀ, the columns of that sample's
/// input (the input itself for a pointwise convolution).
/// </summary>
internal sealed class Conv2dWeightGradKernel<T> : Kernel
    where T : unmanaged, INumber<T>
{
    private readonly Tensor _grad;
    private readonly Tensor _x;
    private readonly Tensor _dw;
    private readonly KernelContext _context;
    private readonly Conv2dGeometry _g;

    internal Conv2dWeightGradKernel(KernelBinding b)
        : base(b.Node)
    {
        (_grad, _x, _dw, _context) = (b.Input(0), b.Input(1), b.Output, b.Context);
        _g = new Conv2dGeometry(_x.Shape, _dw.Shape, _grad.Shape, b.Node.Attributes);
        _context.ReserveScratch((long)_g.ColumnCount * _x.DType.SizeInBytes());
    }

    public override void Run()
    {
        Conv2dGeometry g = _g;
        ReadOnlySpan<T> grad = _grad.AsSpan<T>();
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<T> dw = _dw.AsSpan<T>();
        Span<T> columns = _context.Scratch<T>(g.ColumnCount);
        int weightBlock = g.GroupOutChannels * g.K;
        dw.Clear();
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

                ReadOnlySpan<T> gradient = grad.Slice(((n * g.OutChannels) + (group * g.GroupOutChannels)) * g.L, g.GroupOutChannels * g.L);
                MatrixMultiply.Multiply(_context, false, true, g.GroupOutChannels, g.K, g.L, gradient, g.L, input, g.L, dw.Slice(group * weightBlock, weightBlock), g.K, accumulate: true);
            }
        }
    }
}
