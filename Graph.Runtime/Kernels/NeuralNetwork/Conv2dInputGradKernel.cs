using System.Numerics;
using Graph.Core;
using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// conv2d_input_grad, the transposed convolution: per block of samples and group, columns [K, samples·L] = wᵀ ·
/// grad [Og, samples·L] (the block's gradient moved to the matrix layout), then each column element is added back
/// at its input position (col2im). A pointwise convolution of one sample writes the product into the input gradient
/// itself.
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
        _g = new Conv2dGeometry(_dx.Shape, _w.Shape, _grad.Shape, b.Node.Attributes, _dx.DType.SizeInBytes());
        _context.ReserveScratch((long)_g.ScratchCount * _dx.DType.SizeInBytes());
    }

    public override void Run()
    {
        Conv2dGeometry g = _g;
        WorkerTeam team = _context.Team;
        ReadOnlySpan<T> grad = _grad.AsSpan<T>();
        ReadOnlySpan<T> w = _w.AsSpan<T>();
        Span<T> dx = _dx.AsSpan<T>();
        Span<T> scratch = _context.Scratch<T>(g.ScratchCount);
        Span<T> columns = scratch[..g.ColumnCount];
        Span<T> packed = scratch[g.ColumnCount..];
        int weightBlock = g.GroupOutChannels * g.K;
        for (int first = 0; first < g.Batch; first += g.SampleBlock)
        {
            int samples = Math.Min(g.SampleBlock, g.Batch - first);
            int n = samples * g.L;
            for (int group = 0; group < g.Groups; group++)
            {
                ReadOnlySpan<T> gradient = grad[(((first * g.OutChannels) + (group * g.GroupOutChannels)) * g.L)..];
                if (samples > 1)
                {
                    ChannelMajor.Pack(team, gradient, (long)g.OutChannels * g.L, g.GroupOutChannels, samples, g.L, packed);
                    gradient = packed;
                }

                Span<T> input = dx[(((first * g.Channels) + (group * g.GroupChannels)) * g.Plane)..];
                bool direct = g.ReadsInputDirectly(samples);
                MatrixMultiply.Multiply(_context, true, false, g.K, n, g.GroupOutChannels, w.Slice(group * weightBlock, weightBlock), g.K, gradient, n, direct ? input : columns, n, accumulate: false);
                if (!direct)
                {
                    Im2Col.Scatter(team, g, columns, samples, input);
                }
            }
        }
    }
}
