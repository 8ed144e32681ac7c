using System.Numerics;
using Graph.Core;
using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// conv2d by im2col and one matrix product per block of samples and group: y [Og, samples·L] = w [Og, K] ·
/// columns [K, samples·L], then the product is moved to y's [samples, O, L] layout. Batching the samples makes
/// the late layers' products wide enough for the GEMM to run at speed (a 2×2 output is otherwise a product four
/// columns wide). A block of one sample writes y directly, and a pointwise convolution of one sample multiplies
/// the input itself. The columns and the product live in the session's shared scratch.
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
        _g = new Conv2dGeometry(_x.Shape, _w.Shape, _y.Shape, b.Node.Attributes, _x.DType.SizeInBytes());
        _context.ReserveScratch((long)_g.ScratchCount * _x.DType.SizeInBytes());
    }

    public override void Run()
    {
        Conv2dGeometry g = _g;
        WorkerTeam team = _context.Team;
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        ReadOnlySpan<T> w = _w.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        Span<T> scratch = _context.Scratch<T>(g.ScratchCount);
        Span<T> columns = scratch[..g.ColumnCount];
        Span<T> product = scratch[g.ColumnCount..];
        int weightBlock = g.GroupOutChannels * g.K;
        for (int first = 0; first < g.Batch; first += g.SampleBlock)
        {
            int samples = Math.Min(g.SampleBlock, g.Batch - first);
            int n = samples * g.L;
            for (int group = 0; group < g.Groups; group++)
            {
                ReadOnlySpan<T> input = x[(((first * g.Channels) + (group * g.GroupChannels)) * g.Plane)..];
                if (!g.ReadsInputDirectly(samples))
                {
                    Im2Col.Gather(team, g, input, samples, columns);
                    input = columns;
                }

                Span<T> output = y[(((first * g.OutChannels) + (group * g.GroupOutChannels)) * g.L)..];
                Span<T> destination = samples == 1 ? output : product;
                MatrixMultiply.Multiply(_context, false, false, g.GroupOutChannels, n, g.K, w.Slice(group * weightBlock, weightBlock), g.K, input, n, destination, n, accumulate: false);
                if (samples > 1)
                {
                    ChannelMajor.Unpack<T>(team, product, g.GroupOutChannels, samples, g.L, output, (long)g.OutChannels * g.L);
                }
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
