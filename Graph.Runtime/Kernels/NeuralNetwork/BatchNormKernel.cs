using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Runtime.Kernels;

/// <summary>
/// batch_norm over x seen as [N, C, inner], channel by channel. Training mode: the batch mean and biased
/// variance (sums in double, the variance of the centered values written into y), y = (x − mean)·w/σ + b, and
/// the one write into inputs in the runtime: the running statistics, updated in place as PyTorch does (unless the
/// node is a recomputed copy, <c>update_running_stats=False</c>).
/// Evaluation mode: y = x·scale + shift from the running statistics. Channels are independent: fixed groups of them
/// run on the session's threads.
/// </summary>
internal sealed class BatchNormKernel<T> : Kernel, IItemKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor _x;
    private readonly Tensor _weight;
    private readonly Tensor _bias;
    private readonly Tensor _runningMean;
    private readonly Tensor _runningVar;
    private readonly Tensor _y;
    private readonly bool _training;
    private readonly bool _updatesRunningStatistics;
    private readonly double _momentum;
    private readonly double _eps;
    private readonly int _batch;
    private readonly int _channels;
    private readonly int _inner;
    private readonly Execution.WorkerTeam _team;
    private readonly int _channelsPerPart;

    internal BatchNormKernel(KernelBinding b)
        : base(b.Node)
    {
        (_x, _weight, _bias, _runningMean, _runningVar, _y) = (b.Input(0), b.Input(1), b.Input(2), b.Input(3), b.Input(4), b.Output);
        _training = b.Node.Attributes.GetBool("training");
        _updatesRunningStatistics = BatchNorm.UpdatesRunningStatistics(b.Node.Attributes);
        _momentum = b.Node.Attributes.GetDouble("momentum");
        _eps = b.Node.Attributes.GetDouble("eps");
        (_batch, _channels) = (_x.Shape[0], _x.Shape[1]);
        _inner = _batch * _channels == 0 ? 0 : (int)(_x.ElementCount / _batch / _channels);
        _team = b.Context.Team;
        _channelsPerPart = FixedParts.ItemsPerPart((long)_batch * _inner);
        if (_updatesRunningStatistics && (b.Node.Input(3).Kind != ValueKind.Parameter || b.Node.Input(4).Kind != ValueKind.Parameter))
        {
            // Anything else is shared between sessions (constants) or recomputed (intermediates): writing it would corrupt it.
            throw Failure($"training mode updates the running statistics '{b.Node.Input(3).Name}' and '{b.Node.Input(4).Name}' in place, so they must be parameters.");
        }
    }

    public override void Run() => FixedParts.RunItems(_team, this, _channels, _channelsPerPart);

    /// <summary>Normalizes channels [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public void RunItems(int first, int count)
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        ReadOnlySpan<T> weight = _weight.AsSpan<T>();
        ReadOnlySpan<T> bias = _bias.AsSpan<T>();
        Span<T> runningMean = _runningMean.AsSpan<T>();
        Span<T> runningVar = _runningVar.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        double elements = (double)_batch * _inner;
        for (int c = first; c < first + count; c++)
        {
            if (_training)
            {
                double mean = 0;
                for (int n = 0; n < _batch; n++)
                {
                    mean += double.CreateTruncating(TensorPrimitives.Sum(Run(x, n, c)));
                }

                mean /= elements;
                double squares = 0;
                for (int n = 0; n < _batch; n++)
                {
                    Span<T> centered = Run(y, n, c);
                    TensorPrimitives.Subtract(Run(x, n, c), T.CreateTruncating(mean), centered);
                    squares += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(centered));
                }

                double variance = squares / elements;
                if (_updatesRunningStatistics)
                {
                    runningMean[c] = T.CreateTruncating(((1 - _momentum) * double.CreateTruncating(runningMean[c])) + (_momentum * mean));
                    runningVar[c] = T.CreateTruncating(((1 - _momentum) * double.CreateTruncating(runningVar[c])) + (_momentum * variance * elements / (elements - 1)));
                }

                T scale = T.CreateTruncating(double.CreateTruncating(weight[c]) / Math.Sqrt(variance + _eps));
                for (int n = 0; n < _batch; n++)
                {
                    Span<T> centered = Run(y, n, c);
                    TensorPrimitives.Multiply(centered, scale, centered);
                    TensorPrimitives.Add(centered, bias[c], centered);
                }
            }
            else
            {
                (T scale, T shift) = EvaluationCoefficients(weight[c], bias[c], runningMean[c], runningVar[c], _eps);
                for (int n = 0; n < _batch; n++)
                {
                    Span<T> normalized = Run(y, n, c);
                    TensorPrimitives.Multiply(Run(x, n, c), scale, normalized);
                    TensorPrimitives.Add(normalized, shift, normalized);
                }
            }
        }
    }

    /// <summary>
    /// Evaluation mode's y = x·scale + shift for one channel, computed in double from the weight, bias and running
    /// statistics; the convolution epilogue that folds this batch norm uses the same numbers.
    /// </summary>
    internal static (T Scale, T Shift) EvaluationCoefficients(T weight, T bias, T runningMean, T runningVar, double eps)
    {
        double scale = double.CreateTruncating(weight) / Math.Sqrt(double.CreateTruncating(runningVar) + eps);
        double shift = double.CreateTruncating(bias) - (double.CreateTruncating(runningMean) * scale);
        return (T.CreateTruncating(scale), T.CreateTruncating(shift));
    }

    private Span<T> Run(Span<T> tensor, int n, int c) => tensor.Slice(((n * _channels) + c) * _inner, _inner);

    private ReadOnlySpan<T> Run(ReadOnlySpan<T> tensor, int n, int c) => tensor.Slice(((n * _channels) + c) * _inner, _inner);
}

/// <summary>Picks <see cref="BatchNormKernel{T}"/> by dtype.</summary>
internal static class BatchNormKernel
{
    public static Kernel Create(KernelBinding b) => b.IsFloat32 ? new BatchNormKernel<float>(b) : new BatchNormKernel<double>(b);
}
