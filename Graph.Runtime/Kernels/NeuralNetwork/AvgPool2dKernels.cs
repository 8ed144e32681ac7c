using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// avg_pool2d, adaptive_avg_pool2d and their gradients: a window's sum divided by its divisor, and each
/// gradient element divided by it and spread back over the window (the adjoint). Planes are independent: fixed groups
/// of them run on the session's threads.
/// </summary>
internal static class AvgPool2dKernels
{
    public static Kernel Forward(KernelBinding b) =>
        Create(b, forward: true, PoolWindows.Sliding(b.Input(0).Shape, b.Output.Shape, b.Node.Attributes));

    public static Kernel Grad(KernelBinding b) =>
        Create(b, forward: false, PoolWindows.Sliding(b.Output.Shape, b.Input(0).Shape, b.Node.Attributes));

    public static Kernel AdaptiveForward(KernelBinding b) => Create(b, forward: true, PoolWindows.Adaptive(b.Input(0).Shape, b.Output.Shape));

    public static Kernel AdaptiveGrad(KernelBinding b) => Create(b, forward: false, PoolWindows.Adaptive(b.Output.Shape, b.Input(0).Shape));

    private static Kernel Create(KernelBinding b, bool forward, PoolWindows windows) =>
        b.IsFloat32 ? new Average<float>(b, forward, windows) : new Average<double>(b, forward, windows);

    private sealed class Average<T>(KernelBinding b, bool forward, PoolWindows windows) : Kernel(b.Node), IItemKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Tensor _in = b.Input(0);
        private readonly Tensor _out = b.Output;
        private readonly Execution.WorkerTeam _team = b.Context.Team;
        private readonly int _planesPerPart = FixedParts.ItemsPerPart((long)windows.Height * windows.Width);

        public override void Run() => FixedParts.RunItems(_team, this, windows.Planes, _planesPerPart);

        /// <summary>Pools (or spreads back) planes [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
        public void RunItems(int first, int count)
        {
            if (forward)
            {
                Pool(_in.AsSpan<T>(), _out.AsSpan<T>(), first, count);
            }
            else
            {
                Spread(_in.AsSpan<T>(), _out.AsSpan<T>(), first, count);
            }
        }

        /// <summary>Each output element is its window's sum over the divisor.</summary>
        private void Pool(ReadOnlySpan<T> x, Span<T> y, int first, int count)
        {
            PoolWindows w = windows;
            int plane = w.Height * w.Width;
            for (int p = first, o = first * w.OutHeight * w.OutWidth; p < first + count; p++)
            {
                for (int oh = 0; oh < w.OutHeight; oh++)
                {
                    for (int ow = 0; ow < w.OutWidth; ow++, o++)
                    {
                        T sum = T.Zero;
                        for (int ih = w.RowStart(oh); ih < w.RowEnd(oh); ih++)
                        {
                            int row = (p * plane) + (ih * w.Width);
                            for (int iw = w.ColumnStart(ow); iw < w.ColumnEnd(ow); iw++)
                            {
                                sum += x[row + iw];
                            }
                        }

                        y[o] = sum / T.CreateTruncating(w.Divisor(oh, ow));
                    }
                }
            }
        }

        /// <summary>Each gradient element over the divisor is added to every element of its window.</summary>
        private void Spread(ReadOnlySpan<T> grad, Span<T> dx, int first, int count)
        {
            PoolWindows w = windows;
            int plane = w.Height * w.Width;
            dx.Slice(first * plane, count * plane).Clear();
            for (int p = first, o = first * w.OutHeight * w.OutWidth; p < first + count; p++)
            {
                for (int oh = 0; oh < w.OutHeight; oh++)
                {
                    for (int ow = 0; ow < w.OutWidth; ow++, o++)
                    {
                        T share = grad[o] / T.CreateTruncating(w.Divisor(oh, ow));
                        for (int ih = w.RowStart(oh); ih < w.RowEnd(oh); ih++)
                        {
                            int row = (p * plane) + (ih * w.Width);
                            for (int iw = w.ColumnStart(ow); iw < w.ColumnEnd(ow); iw++)
                            {
                                dx[row + iw] += share;
                            }
                        }
                    }
                }
            }
        }
    }
}
