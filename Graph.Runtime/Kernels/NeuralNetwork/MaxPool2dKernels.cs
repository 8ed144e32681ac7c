using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// max_pool2d, max_pool2d_grad and max_pool2d_gather: all three find each window's first maximum in row-major
/// order, as PyTorch does (a NaN counts as the maximum; a window of −∞ picks its first element), then read x,
/// add the gradient, or read u there. Planes are independent: fixed groups of them run on the session's threads.
/// </summary>
internal static class MaxPool2dKernels
{
    public static Kernel Forward(KernelBinding b) => b.IsFloat32 ? new Pool<float>(b, Mode.Forward) : new Pool<double>(b, Mode.Forward);

    public static Kernel Grad(KernelBinding b) => b.IsFloat32 ? new Pool<float>(b, Mode.Grad) : new Pool<double>(b, Mode.Grad);

    public static Kernel Gather(KernelBinding b) => b.IsFloat32 ? new Pool<float>(b, Mode.Gather) : new Pool<double>(b, Mode.Gather);

    private enum Mode
    {
        /// <summary>y = x at the maximum.</summary>
        Forward,

        /// <summary>dx at the maximum += grad; inputs (grad, x).</summary>
        Grad,

        /// <summary>y = u at the maximum; inputs (u, x).</summary>
        Gather,
    }

    private sealed class Pool<T> : Kernel, IItemKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Mode _mode;
        private readonly Tensor _x;
        private readonly Tensor _pooled;
        private readonly Tensor _full;
        private readonly PoolWindows _windows;
        private readonly Execution.WorkerTeam _team;
        private readonly int _planesPerPart;

        internal Pool(KernelBinding b, Mode mode)
            : base(b.Node)
        {
            _mode = mode;
            (_x, _pooled, _full) = mode switch
            {
                Mode.Forward => (b.Input(0), b.Output, b.Input(0)),
                Mode.Grad => (b.Input(1), b.Input(0), b.Output),
                _ => (b.Input(1), b.Output, b.Input(0)),
            };
            _windows = PoolWindows.Sliding(_x.Shape, _pooled.Shape, b.Node.Attributes);
            _team = b.Context.Team;
            _planesPerPart = FixedParts.ItemsPerPart((long)_windows.Height * _windows.Width);
        }

        public override void Run() => FixedParts.RunItems(_team, this, _windows.Planes, _planesPerPart);

        /// <summary>Pools planes [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
        public void RunItems(int first, int count)
        {
            PoolWindows w = _windows;
            ReadOnlySpan<T> x = _x.AsSpan<T>();
            Span<T> pooled = _pooled.AsSpan<T>();
            Span<T> full = _full.AsSpan<T>();
            int plane = w.Height * w.Width;
            int outPlane = w.OutHeight * w.OutWidth;
            if (_mode == Mode.Grad)
            {
                full.Slice(first * plane, count * plane).Clear();
            }

            for (int p = first; p < first + count; p++)
            {
                ReadOnlySpan<T> xPlane = x.Slice(p * plane, plane);
                for (int oh = 0; oh < w.OutHeight; oh++)
                {
                    for (int ow = 0; ow < w.OutWidth; ow++)
                    {
                        int at = (p * plane) + ArgMax(xPlane, w, oh, ow);
                        int o = (p * outPlane) + (oh * w.OutWidth) + ow;
                        if (_mode == Mode.Grad)
                        {
                            full[at] += pooled[o];
                        }
                        else
                        {
                            pooled[o] = full[at];
                        }
                    }
                }
            }
        }

        private static int ArgMax(ReadOnlySpan<T> plane, PoolWindows w, int oh, int ow)
        {
            int columnStart = w.ColumnStart(ow);
            int columnEnd = w.ColumnEnd(ow);
            int best = (w.RowStart(oh) * w.Width) + columnStart;
            T max = T.NegativeInfinity;
            for (int ih = w.RowStart(oh); ih < w.RowEnd(oh); ih++)
            {
                for (int iw = columnStart; iw < columnEnd; iw++)
                {
                    T v = plane[(ih * w.Width) + iw];
                    if (v > max || T.IsNaN(v))
                    {
                        (max, best) = (v, (ih * w.Width) + iw);
                        if (T.IsNaN(v))
                        {
                            return best;
                        }
                    }
                }
            }

            return best;
        }
    }
}
