using System.Numerics;
using System.Runtime.Intrinsics;
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
                // The row of maxima lives on the stack; rows wider than it take the window scan below.
                if (w.Width <= MaximaRowLength)
                {
                    if (_mode == Mode.Forward)
                    {
                        ForwardPlanes(w, x, pooled, first, count);
                    }
                    else
                    {
                        ArgMaxPlanes(w, x, pooled, f, first, count, _mode == Mode.Grad);
                    }

                    return;
                }

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

        // The widest input row whose column maxima ForwardPlanes keeps on the stack (16 KB of float).
        private const int MaximaRowLength = 4096;

        /// <summary>
        /// The forward pass needs the maxima, not where they are: per output row, the elementwise maximum of the
        /// window's input rows (vectorized along the row), then each window's maximum of that row. Maximum is IEEE's, so
        /// a NaN anywhere in a window pools to NaN, as in torch.
        /// </summary>
        private static unsafe void ForwardPlanes(PoolWindows w, T* x, T* pooled, int first, int count)
        {
            int plane = w.Height * w.Width;
            int outPlane = w.OutHeight * w.OutWidth;
            Span<T> rowMax = stackalloc T[w.Width];
            fixed (T* m = rowMax)
            {
                for (int p = first; p < first + count; p++)
                {
                    T* xPlane = x + ((long)p * plane);
                    for (int oh = 0; oh < w.OutHeight; oh++)
                    {
                        int rowStart = w.RowStart(oh), rowEnd = w.RowEnd(oh);
                        ColumnMaxima(xPlane + ((long)rowStart * w.Width), rowEnd - rowStart, w.Width, m);
                        T* outRow = pooled + ((long)p * outPlane) + ((long)oh * w.OutWidth);
                        for (int ow = 0; ow < w.OutWidth; ow++)
                        {
                            int end = w.ColumnEnd(ow);
                            T max = T.NegativeInfinity;
                            for (int iw = w.ColumnStart(ow); iw < end; iw++)
                            {
                                max = T.Max(max, m[iw]);
                            }

                            outRow[ow] = max;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The gradient and the gather need where each window's first maximum is: per output row, each input column's
        /// first maximum over the window's rows and its row (vectorized along the row), then per window the best of its
        /// columns in row-major order. Where a scan of every window element branched on every element, mispredicting
        /// on a ReLU's output about half the time, this compares each element once, without branching.
        /// </summary>
        private static unsafe void ArgMaxPlanes(PoolWindows w, T* x, T* pooled, T* full, int first, int count, bool grad)
        {
            int plane = w.Height * w.Width;
            int outPlane = w.OutHeight * w.OutWidth;
            Span<T> columnMax = stackalloc T[w.Width];
            Span<T> columnRow = stackalloc T[w.Width];
            fixed (T* m = columnMax, rows = columnRow)
            {
                for (int p = first; p < first + count; p++)
                {
                    T* xPlane = x + ((long)p * plane);
                    T* fullPlane = full + ((long)p * plane);
                    T* pooledPlane = pooled + ((long)p * outPlane);
                    for (int oh = 0; oh < w.OutHeight; oh++)
                    {
                        int rowStart = w.RowStart(oh), rowEnd = w.RowEnd(oh);
                        T* pooledRow = pooledPlane + ((long)oh * w.OutWidth);
                        bool byColumns = rowEnd > rowStart;
                        if (byColumns)
                        {
                            ColumnArgMaxima(xPlane, rowStart, rowEnd, w.Width, m, rows);
                        }

                        for (int ow = 0; ow < w.OutWidth; ow++)
                        {
                            int at = byColumns
                                ? WindowArgMax(m, rows, w.Width, w.ColumnStart(ow), w.ColumnEnd(ow), rowStart)
                                : ArgMax(xPlane, w.Width, rowStart, rowEnd, w.ColumnStart(ow), w.ColumnEnd(ow));
                            if (grad)
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
        /// For each column j: m[j] = the first maximum of x[rowStart..rowEnd, j] (the first NaN if there is one), and
        /// rows[j] its row. A later value takes over only if it is larger, or if it is the first NaN.
        /// </summary>
        private static unsafe void ColumnArgMaxima(T* x, int rowStart, int rowEnd, int width, T* m, T* rows)
        {
            T* top = x + ((long)rowStart * width);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= width - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    Vector256<T> max = Vector256.Load(top + j);
                    Vector256<T> row = Vector256.Create(T.CreateTruncating(rowStart));
                    for (int r = rowStart + 1; r < rowEnd; r++)
                    {
                        Vector256<T> v = Vector256.Load(x + ((long)r * width) + j);
                        Vector256<T> take = Vector256.GreaterThan(v, max) | Vector256.AndNot(Vector256.Equals(max, max), Vector256.Equals(v, v));
                        max = Vector256.ConditionalSelect(take, v, max);
                        row = Vector256.ConditionalSelect(take, Vector256.Create(T.CreateTruncating(r)), row);
                    }

                    max.Store(m + j);
                    row.Store(rows + j);
                }
            }

            for (; j < width; j++)
            {
                T max = top[j];
                int row = rowStart;
                for (int r = rowStart + 1; r < rowEnd; r++)
                {
                    T v = x[((long)r * width) + j];
                    if (v > max || (T.IsNaN(v) && !T.IsNaN(max)))
                    {
                        (max, row) = (v, r);
                    }
                }

                m[j] = max;
                rows[j] = T.CreateTruncating(row);
            }
        }

        /// <summary>
        /// The plane offset of the first maximum in row-major order of the window's columns [columnStart, columnEnd),
        /// from their column maxima: the first NaN if any (the smallest row, then the smallest column), else the largest
        /// value, ties to the smallest row, then the smallest column.
        /// </summary>
        private static unsafe int WindowArgMax(T* m, T* rows, int width, int columnStart, int columnEnd, int rowStart)
        {
            if (columnEnd <= columnStart)
            {
                return (rowStart * width) + columnStart;
            }

            int bestColumn = columnStart;
            T best = m[columnStart];
            T bestRow = rows[columnStart];
            for (int j = columnStart + 1; j < columnEnd; j++)
            {
                T v = m[j];
                T row = rows[j];
                bool better = T.IsNaN(v)
                    ? !T.IsNaN(best) || row < bestRow
                    : !T.IsNaN(best) && (v > best || (v == best && row < bestRow));
                bestColumn = better ? j : bestColumn;
                best = better ? v : best;
                bestRow = better ? row : bestRow;
            }

            return (int.CreateTruncating(bestRow) * width) + bestColumn;
        }

        /// <summary>m[j] = the maximum over <paramref name="rows"/> rows of x[·, j] (NaN if any is NaN).</summary>
        private static unsafe void ColumnMaxima(T* x, int rows, int width, T* m)
        {
            if (rows == 0)
            {
                new Span<T>(m, width).Fill(T.NegativeInfinity);
                return;
            }

            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= width - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    Vector256<T> max = Vector256.Load(x + j);
                    for (int r = 1; r < rows; r++)
                    {
                        max = Vector256.Max(max, Vector256.Load(x + ((long)r * width) + j));
                    }

                    max.Store(m + j);
                }
            }

            for (; j < width; j++)
            {
                T max = x[j];
                for (int r = 1; r < rows; r++)
                {
                    max = T.Max(max, x[((long)r * width) + j]);
                }

                m[j] = max;
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
