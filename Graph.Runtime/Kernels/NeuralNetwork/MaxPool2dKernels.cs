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
        public unsafe void RunItems(int first, int count)
        {
            PoolWindows w = _windows;
            int plane = w.Height * w.Width;
            int outPlane = w.OutHeight * w.OutWidth;
            Span<T> full = _full.AsSpan<T>();
            if (_mode == Mode.Grad)
            {
                full.Slice(first * plane, count * plane).Clear();
            }

            fixed (T* x = _x.AsSpan<T>(), pooled = _pooled.AsSpan<T>(), f = full)
            {
                for (int p = first; p < first + count; p++)
                {
                    T* xPlane = x + ((long)p * plane);
                    T* fullPlane = f + ((long)p * plane);
                    T* pooledPlane = pooled + ((long)p * outPlane);
                    for (int oh = 0; oh < w.OutHeight; oh++)
                    {
                        int rowStart = w.RowStart(oh), rowEnd = w.RowEnd(oh);
                        T* pooledRow = pooledPlane + ((long)oh * w.OutWidth);
                        for (int ow = 0; ow < w.OutWidth; ow++)
                        {
                            int at = ArgMax(xPlane, w.Width, rowStart, rowEnd, w.ColumnStart(ow), w.ColumnEnd(ow));
                            if (_mode == Mode.Grad)
                            {
                                fullPlane[at] += pooledRow[ow];
                            }
                            else
                            {
                                pooledRow[ow] = fullPlane[at];
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The window's first maximum, or its first NaN (as PyTorch, a NaN is the maximum): the plane offset. One
        /// comparison per element on the common path; `!(v &lt;= max)` is true for a larger value and for NaN alike.
        /// </summary>
        private static unsafe int ArgMax(T* plane, int width, int rowStart, int rowEnd, int columnStart, int columnEnd)
        {
            int best = (rowStart * width) + columnStart;
            T max = T.NegativeInfinity;
            for (int ih = rowStart; ih < rowEnd; ih++)
            {
                T* row = plane + ((long)ih * width);
                for (int iw = columnStart; iw < columnEnd; iw++)
                {
                    T v = row[iw];
                    if (!(v <= max))
                    {
                        best = (ih * width) + iw;
                        if (T.IsNaN(v))
                        {
                            return best;
                        }

                        max = v;
                    }
                }
            }

            return best;
        }
    }
}
