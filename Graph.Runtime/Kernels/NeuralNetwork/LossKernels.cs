using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// nll_loss, binary_cross_entropy_with_logits and mse_loss: means over many elements, accumulated in double
/// (as PyTorch's CPU kernels accumulate float in double) and stored in the node's dtype. Large elementwise losses
/// sum fixed chunks on the session's threads and add the chunk sums in chunk order.
/// </summary>
internal static class LossKernels
{
    public static Kernel NllLoss(KernelBinding b) => b.IsFloat32 ? new NllLossKernel<float>(b) : new NllLossKernel<double>(b);

    public static Kernel BinaryCrossEntropyWithLogits(KernelBinding b) =>
        b.IsFloat32 ? new MeanOfPairs<float, BceWithLogits>(b) : new MeanOfPairs<double, BceWithLogits>(b);

    public static Kernel MseLoss(KernelBinding b) => b.IsFloat32 ? new MeanOfPairs<float, SquaredError>(b) : new MeanOfPairs<double, SquaredError>(b);

    /// <summary>The loss of one (input, target) pair.</summary>
    private interface IPairLoss
    {
        static abstract double Invoke(double x, double y);
    }

    /// <summary><c>max(x, 0) − x·y + log(1 + e^−|x|)</c>: stable for any logit.</summary>
    private readonly struct BceWithLogits : IPairLoss
    {
        public static double Invoke(double x, double y) => Math.Max(x, 0) - (x * y) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
    }

    /// <summary><c>(x − y)²</c>.</summary>
    private readonly struct SquaredError : IPairLoss
    {
        public static double Invoke(double x, double y) => (x - y) * (x - y);
    }

    private sealed class MeanOfPairs<T, TLoss>(KernelBinding b) : Kernel(b.Node), IItemKernel
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, IPairLoss
    {
        private readonly Tensor _x = b.Input(0);
        private readonly Tensor _target = b.Input(1);
        private readonly Tensor _y = b.Output;
        private readonly Execution.WorkerTeam _team = b.Context.Team;
        private readonly double[] _chunkSums = new double[FixedParts.Count(b.Input(0).ElementCount, FixedParts.Elements)];

        public override void Run()
        {
            FixedParts.RunItems(_team, this, _chunkSums.Length, 1);
            double sum = 0;
            foreach (double chunk in _chunkSums)
            {
                sum += chunk;
            }

            _y.AsSpan<T>()[0] = T.CreateTruncating(sum / _x.ElementCount);
        }

        /// <summary>Sums the losses of chunks [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
        public void RunItems(int first, int count)
        {
            ReadOnlySpan<T> x = _x.AsSpan<T>();
            ReadOnlySpan<T> target = _target.AsSpan<T>();
            for (int chunk = first; chunk < first + count; chunk++)
            {
                (int start, int length) = FixedParts.Range(chunk, x.Length);
                double sum = 0;
                for (int i = start; i < start + length; i++)
                {
                    sum += TLoss.Invoke(double.CreateTruncating(x[i]), double.CreateTruncating(target[i]));
                }

                _chunkSums[chunk] = sum;
            }
        }
    }

    private sealed class NllLossKernel<T>(KernelBinding b) : Kernel(b.Node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Tensor _logp = b.Input(0);
        private readonly Tensor _target = b.Input(1);
        private readonly Tensor _y = b.Output;

        public override void Run()
        {
            ReadOnlySpan<T> logp = _logp.AsSpan<T>();
            ReadOnlySpan<long> target = _target.AsSpan<long>();
            int classes = _logp.Shape[1];
            double sum = 0;
            for (int i = 0; i < target.Length; i++)
            {
                long t = target[i];
                if ((ulong)t >= (ulong)classes)
                {
                    throw Failure($"target {t} at position {i} is not a class index in [0, {classes}); the logits have {classes} classes.");
                }

                sum += double.CreateTruncating(logp[(i * classes) + (int)t]);
            }

            _y.AsSpan<T>()[0] = T.CreateTruncating(-sum / target.Length);
        }
    }
}
