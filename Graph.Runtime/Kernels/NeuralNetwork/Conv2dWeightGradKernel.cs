using System.Numerics;
using Graph.Core;
using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// conv2d_weight_grad: per block of samples and group, dw [Og, K] (+)= grad [Og, samples·L] · columnsᵀ, the columns
/// of the block's input (the input itself for a pointwise convolution of one sample) and the block's gradient moved
/// to the matrix layout. One product sums a whole block; blocks are added in order, so the sum is the same for every
/// thread count.
/// </summary>
internal sealed unsafe class Conv2dWeightGradKernel<T> : Kernel
    where T : unmanaged, INumber<T>
{
    private readonly Tensor _grad;
    private readonly Tensor _x;
    private readonly Tensor _dw;
    private readonly KernelContext _context;
    private readonly Conv2dGeometry _g;
    private readonly Execution.GradientBuffer? _addInto;

    internal Conv2dWeightGradKernel(KernelBinding b)
        : base(b.Node)
    {
        (_grad, _x, _dw, _context, _addInto) = (b.Input(0), b.Input(1), b.Output, b.Context, b.AddInto);
        _g = new Conv2dGeometry(_x.Shape, _dw.Shape, _grad.Shape, b.Node.Attributes, _x.DType.SizeInBytes());
        _context.ReserveScratch((long)_g.ImplicitScratchCount * _x.DType.SizeInBytes());
    }

    public override void Run()
    {
        Conv2dGeometry g = _g;
        WorkerTeam team = _context.Team;
        ReadOnlySpan<T> grad = _grad.AsSpan<T>();
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<T> dw = _dw.AsSpan<T>();
        Span<T> scratch = _context.Scratch<T>(g.ImplicitScratchCount);
        Span<T> columns = scratch[..g.ImplicitColumnCount];
        Span<T> packed = scratch[g.ImplicitColumnCount..];
        int weightBlock = g.GroupOutChannels * g.K;
        bool addToGradient = KernelBinding.BeginAccumulation(_addInto);
        if (g.Batch == 0 && !addToGradient)
        {
            dw.Clear(); // no sample adds anything: the gradient of an empty batch is zero
            return;
        }

        for (int first = 0; first < g.Batch; first += g.SampleBlock)
        {
            int samples = Math.Min(g.SampleBlock, g.Batch - first);
            int n = samples * g.L;
            for (int group = 0; group < g.Groups; group++)
            {
                ReadOnlySpan<T> input = x[(((first * g.Channels) + (group * g.GroupChannels)) * g.Plane)..];
                bool implicitColumns = g.PacksColumnsFromInput(samples);
                if (!implicitColumns && !g.ReadsInputDirectly(samples))
                {
                    Im2Col.Gather(team, g, input, samples, columns);
                    input = columns;
                }

                ReadOnlySpan<T> gradient = grad[(((first * g.OutChannels) + (group * g.GroupOutChannels)) * g.L)..];
                if (samples > 1)
                {
                    ChannelMajor.Pack(team, gradient, (long)g.OutChannels * g.L, g.GroupOutChannels, samples, g.L, packed);
                    gradient = packed;
                }

                bool accumulate = first > 0 || addToGradient;
                Span<T> weights = dw.Slice(group * weightBlock, weightBlock);
                if (implicitColumns)
                {
                    fixed (T* image = input)
                    {
                        MatrixMultiply.Multiply(_context, false, g.GroupOutChannels, g.K, n, gradient, n, new Im2ColTransposedPanels<T>(g, image), weights, g.K, accumulate);
                    }
                }
                else
                {
                    MatrixMultiply.Multiply(_context, false, true, g.GroupOutChannels, g.K, n, gradient, n, input, n, weights, g.K, accumulate);
                }
            }
        }
    }
}
