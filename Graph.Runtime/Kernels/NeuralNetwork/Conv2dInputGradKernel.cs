using System.Numerics;
using Graph.Core;
using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// conv2d_input_grad, the transposed convolution, one of two ways chosen from the shapes alone
/// (<see cref="Conv2dGeometry.InputGradientAsConvolution"/>):
/// <list type="bullet">
/// <item>stride 1, where the weights are small next to the column matrix (the early layers): as the forward
/// convolution of the output gradient with the weights flipped and their channel axes swapped, so the columns come
/// from the gradient through the implicit GEMM and nothing the size of the column matrix is written;</item>
/// <item>otherwise, per block of samples and group: columns [K, samples·L] = wᵀ · grad [Og, samples·L] (the block's
/// gradient moved to the matrix layout), then each column element is added back at its input position (col2im). A
/// pointwise convolution of one sample writes the product into the input gradient itself.</item>
/// </list>
/// </summary>
internal sealed class Conv2dInputGradKernel<T> : Kernel
    where T : unmanaged, INumber<T>
{
    private readonly Tensor _grad;
    private readonly Tensor _w;
    private readonly Tensor _dx;
    private readonly KernelContext _context;
    private readonly Conv2dGeometry _g;
    private readonly Conv2dGeometry? _asConvolution;

    internal Conv2dInputGradKernel(KernelBinding b)
        : base(b.Node)
    {
        (_grad, _w, _dx, _context) = (b.Input(0), b.Input(1), b.Output, b.Context);
        _g = new Conv2dGeometry(_dx.Shape, _w.Shape, _grad.Shape, b.Node.Attributes, _dx.DType.SizeInBytes());
        _asConvolution = _g.InputGradientAsConvolution ? _g.AsInputGradientConvolution() : null;
        _context.ReserveScratch((long)ScratchCount * _dx.DType.SizeInBytes());
    }

    /// <summary>The flipped weights and the forward convolution's scratch, or the transposed product's.</summary>
    private int ScratchCount => _asConvolution is { } c ? (int)_w.ElementCount + c.ImplicitScratchCount : _g.ScratchCount;

    public override void Run()
    {
        Span<T> scratch = _context.Scratch<T>(ScratchCount);
        if (_asConvolution is { } convolution)
        {
            Span<T> flipped = scratch[..(int)_w.ElementCount];
            FlipWeights(_w.AsSpan<T>(), flipped);
            ConvolutionForward.Run<T>(_context, convolution, _grad.AsSpan<T>(), flipped, _dx.AsSpan<T>(), scratch[flipped.Length..]);
            return;
        }

        RunTransposed(scratch);
    }

    /// <summary>
    /// <paramref name="flipped"/> [C, O/groups, kH, kW] from the weights [O, C/groups, kH, kW]: element (g·C/groups + c, o,
    /// i, j) is w[g·O/groups + o, c, kH − 1 − i, kW − 1 − j].
    /// </summary>
    private void FlipWeights(ReadOnlySpan<T> w, Span<T> flipped)
    {
        Conv2dGeometry g = _g;
        int taps = g.KernelHeight * g.KernelWidth;
        for (int group = 0; group < g.Groups; group++)
        {
            for (int o = 0; o < g.GroupOutChannels; o++)
            {
                for (int c = 0; c < g.GroupChannels; c++)
                {
                    ReadOnlySpan<T> source = w.Slice(((((group * g.GroupOutChannels) + o) * g.GroupChannels) + c) * taps, taps);
                    Span<T> target = flipped.Slice(((((group * g.GroupChannels) + c) * g.GroupOutChannels) + o) * taps, taps);
                    for (int t = 0; t < taps; t++)
                    {
                        target[t] = source[taps - 1 - t];
                    }
                }
            }
        }
    }

    private void RunTransposed(Span<T> scratch)
    {
        Conv2dGeometry g = _g;
        WorkerTeam team = _context.Team;
        ReadOnlySpan<T> grad = _grad.AsSpan<T>();
        ReadOnlySpan<T> w = _w.AsSpan<T>();
        Span<T> dx = _dx.AsSpan<T>();
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
