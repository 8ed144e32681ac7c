using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// batch_norm_backward_reduce: per channel, the mean and biased variance of x, Σ grad and Σ grad·(x − mean), in a
/// pass for the mean and one for the rest, accumulated in float64 across the channel's runs. Parallel over fixed
/// groups of channels, so each channel's sums are added in the same order on any number of threads.
/// </summary>
internal sealed class BatchNormBackwardReduceKernel<T> : Kernel, IItemKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor _grad;
    private readonly Tensor _x;
    private readonly Tensor _sums;
    private readonly ChannelRuns _runs;
    private readonly Execution.WorkerTeam _team;

    internal BatchNormBackwardReduceKernel(KernelBinding b)
        : base(b.Node)
    {
        (_grad, _x, _sums, _team) = (b.Input(0), b.Input(1), b.Output, b.Context.Team);
        _runs = new ChannelRuns(_x.Shape);
    }

    public override void Run() => FixedParts.RunItems(_team, this, _runs.Channels, _runs.ChannelsPerPart);

    public void RunItems(int first, int count)
    {
        ReadOnlySpan<T> grad = _grad.AsSpan<T>();
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<T> sums = _sums.AsSpan<T>();
        int channels = _runs.Channels;
        for (int c = first; c < first + count; c++)
        {
            double total = 0;
            for (int n = 0; n < _runs.Batch; n++)
            {
                total += double.CreateTruncating(TensorPrimitives.Sum(_runs.Of(x, n, c)));
            }

            double mean = total / _runs.PerChannel;
            double squares = 0, gradSum = 0, gradDotCentered = 0;
            for (int n = 0; n < _runs.Batch; n++)
            {
                (T runSquares, T runGrad, T runDot) = CenteredSums(_runs.Of(x, n, c), _runs.Of(grad, n, c), T.CreateTruncating(mean));
                squares += double.CreateTruncating(runSquares);
                gradSum += double.CreateTruncating(runGrad);
                gradDotCentered += double.CreateTruncating(runDot);
            }

            sums[c] = T.CreateTruncating(mean);
            sums[channels + c] = T.CreateTruncating(squares / _runs.PerChannel);
            sums[(2 * channels) + c] = T.CreateTruncating(gradSum);
            sums[(3 * channels) + c] = T.CreateTruncating(gradDotCentered);
        }
    }

    /// <summary>Σ(x − mean)², Σ grad and Σ grad·(x − mean) over one run, vectorized.</summary>
    private static (T Squares, T Grad, T Dot) CenteredSums(ReadOnlySpan<T> x, ReadOnlySpan<T> grad, T mean)
    {
        var squares = Vector<T>.Zero;
        var gradSum = Vector<T>.Zero;
        var dot = Vector<T>.Zero;
        var vmean = new Vector<T>(mean);
        ReadOnlySpan<Vector<T>> xv = MemoryMarshal.Cast<T, Vector<T>>(x);
        ReadOnlySpan<Vector<T>> gv = MemoryMarshal.Cast<T, Vector<T>>(grad);
        for (int i = 0; i < xv.Length; i++)
        {
            Vector<T> centered = xv[i] - vmean;
            squares += centered * centered;
            gradSum += gv[i];
            dot += gv[i] * centered;
        }

        T s = Vector.Sum(squares), g = Vector.Sum(gradSum), d = Vector.Sum(dot);
        for (int i = xv.Length * Vector<T>.Count; i < x.Length; i++)
        {
            T centered = x[i] - mean;
            s += centered * centered;
            g += grad[i];
            d += grad[i] * centered;
        }

        return (s, g, d);
    }
}

/// <summary>batch_norm_backward_elemt: dx = a·grad + b·x + c with each channel's row of the [3, C] coefficients, in one pass.</summary>
internal sealed class BatchNormBackwardElementwiseKernel<T> : Kernel, IItemKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor _grad;
    private readonly Tensor _x;
    private readonly Tensor _coefficients;
    private readonly Tensor _dx;
    private readonly ChannelRuns _runs;
    private readonly Execution.WorkerTeam _team;

    internal BatchNormBackwardElementwiseKernel(KernelBinding b)
        : base(b.Node)
    {
        (_grad, _x, _coefficients, _dx, _team) = (b.Input(0), b.Input(1), b.Input(2), b.Output, b.Context.Team);
        _runs = new ChannelRuns(_x.Shape);
    }

    public override void Run() => FixedParts.RunItems(_team, this, _runs.Channels, _runs.ChannelsPerPart);

    public void RunItems(int first, int count)
    {
        ReadOnlySpan<T> grad = _grad.AsSpan<T>();
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        ReadOnlySpan<T> coefficients = _coefficients.AsSpan<T>();
        Span<T> dx = _dx.AsSpan<T>();
        int channels = _runs.Channels;
        for (int c = first; c < first + count; c++)
        {
            T a = coefficients[c], b = coefficients[channels + c], offset = coefficients[(2 * channels) + c];
            for (int n = 0; n < _runs.Batch; n++)
            {
                Combine(_runs.Of(grad, n, c), _runs.Of(x, n, c), a, b, offset, _runs.Of(dx, n, c));
            }
        }
    }

    /// <summary>destination = a·grad + b·x + c over one run; destination may be grad or x (the planner may share them).</summary>
    private static void Combine(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, T a, T b, T c, Span<T> destination)
    {
        var va = new Vector<T>(a);
        var vb = new Vector<T>(b);
        var vc = new Vector<T>(c);
        ReadOnlySpan<Vector<T>> gv = MemoryMarshal.Cast<T, Vector<T>>(grad);
        ReadOnlySpan<Vector<T>> xv = MemoryMarshal.Cast<T, Vector<T>>(x);
        Span<Vector<T>> dv = MemoryMarshal.Cast<T, Vector<T>>(destination);
        for (int i = 0; i < gv.Length; i++)
        {
            dv[i] = (va * gv[i]) + (vb * xv[i]) + vc;
        }

        for (int i = gv.Length * Vector<T>.Count; i < grad.Length; i++)
        {
            destination[i] = (a * grad[i]) + (b * x[i]) + c;
        }
    }
}

/// <summary>The contiguous run of each (sample, channel) pair of an [N, C, ...] activation, and the channel groups the kernels split into.</summary>
internal sealed class ChannelRuns
{
    public ChannelRuns(Shape shape)
    {
        (Batch, Channels) = (shape[0], shape[1]);
        Inner = Batch * Channels == 0 ? 0 : (int)(shape.ElementCount / Batch / Channels);
        PerChannel = (double)Batch * Inner;
        ChannelsPerPart = FixedParts.ItemsPerPart((long)Batch * Inner);
    }

    public int Batch { get; }

    public int Channels { get; }

    /// <summary>Elements of one run: the product of the axes after the channels.</summary>
    public int Inner { get; }

    /// <summary>Elements per channel, N times <see cref="Inner"/>.</summary>
    public double PerChannel { get; }

    /// <summary>Channels per part of a parallel loop, from the shape alone.</summary>
    public int ChannelsPerPart { get; }

    public ReadOnlySpan<T> Of<T>(ReadOnlySpan<T> tensor, int n, int c) => tensor.Slice(((n * Channels) + c) * Inner, Inner);

    public Span<T> Of<T>(Span<T> tensor, int n, int c) => tensor.Slice(((n * Channels) + c) * Inner, Inner);
}

/// <summary>Picks the batch normalization gradient kernels by dtype.</summary>
internal static class BatchNormBackwardKernels
{
    public static Kernel Reduce(KernelBinding b) => b.IsFloat32 ? new BatchNormBackwardReduceKernel<float>(b) : new BatchNormBackwardReduceKernel<double>(b);

    public static Kernel Elementwise(KernelBinding b) => b.IsFloat32 ? new BatchNormBackwardElementwiseKernel<float>(b) : new BatchNormBackwardElementwiseKernel<double>(b);
}
