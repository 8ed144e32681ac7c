using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Layer normalization's fused passes over x seen as [rows, M]: layer_norm_stats (mean and rstd per row),
/// layer_norm (normalize and affine), layer_norm_backward (dx) and layer_norm_backward_affine (the weight and bias
/// sums). Rows are independent, so fixed groups of them run on the session's threads; the affine sums run in fixed
/// groups of columns, each summing its rows in order, so every result is the same for any thread count.
/// </summary>
internal static class LayerNormKernels
{
    public static Kernel Stats(KernelBinding b) => b.IsFloat32 ? new StatsKernel<float>(b) : new StatsKernel<double>(b);

    public static Kernel Forward(KernelBinding b) => b.IsFloat32 ? new ForwardKernel<float>(b) : new ForwardKernel<double>(b);

    public static Kernel Backward(KernelBinding b) => b.IsFloat32 ? new BackwardKernel<float>(b) : new BackwardKernel<double>(b);

    public static Kernel BackwardAffine(KernelBinding b) => b.IsFloat32 ? new AffineKernel<float>(b) : new AffineKernel<double>(b);

    /// <summary>The row length M: the elements of the last <c>normalized_dims</c> axes of <paramref name="x"/>.</summary>
    private static int RowLength(KernelBinding b, Tensor x)
    {
        int k = (int)b.Node.Attributes.Values["normalized_dims"];
        long m = 1;
        for (int i = x.Shape.Rank - k; i < x.Shape.Rank; i++)
        {
            m *= x.Shape[i];
        }

        return checked((int)m);
    }

    private static int Rows(Tensor x, int m) => m == 0 ? 0 : checked((int)(x.ElementCount / m));

    /// <summary>Σ (x − mean)², vectorized.</summary>
    private static T SumSquaredDeviations<T>(ReadOnlySpan<T> x, T mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var acc = Vector<T>.Zero;
        var m = new Vector<T>(mean);
        int i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            Vector<T> d = new Vector<T>(x[i..]) - m;
            acc += d * d;
        }

        T sum = Vector.Sum(acc);
        for (; i < x.Length; i++)
        {
            T d = x[i] - mean;
            sum += d * d;
        }

        return sum;
    }

    /// <summary>Σ u·(x − mean), vectorized.</summary>
    private static T DotCentered<T>(ReadOnlySpan<T> u, ReadOnlySpan<T> x, T mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var acc = Vector<T>.Zero;
        var m = new Vector<T>(mean);
        int i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            acc += new Vector<T>(u[i..]) * (new Vector<T>(x[i..]) - m);
        }

        T sum = Vector.Sum(acc);
        for (; i < x.Length; i++)
        {
            sum += u[i] * (x[i] - mean);
        }

        return sum;
    }

    /// <summary>Row statistics: mean, then rstd = 1/√(Σ(x − mean)²/M + eps), as torch's two-pass float64 reference.</summary>
    private sealed class StatsKernel<T> : Kernel, IItemKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Tensor _x;
        private readonly Tensor _stats;
        private readonly int _m;
        private readonly int _rows;
        private readonly T _eps;
        private readonly Execution.WorkerTeam _team;
        private readonly int _rowsPerPart;

        public StatsKernel(KernelBinding b)
            : base(b.Node)
        {
            (_x, _stats) = (b.Input(0), b.Output);
            _m = RowLength(b, _x);
            _rows = Rows(_x, _m);
            _eps = T.CreateChecked((double)b.Node.Attributes.Values["eps"]);
            _team = b.Context.Team;
            _rowsPerPart = FixedParts.ItemsPerPart(_m);
        }

        public override void Run() => FixedParts.RunItems(_team, this, _rows, _rowsPerPart);

        public void RunItems(int first, int count)
        {
            ReadOnlySpan<T> x = _x.AsSpan<T>();
            Span<T> stats = _stats.AsSpan<T>();
            T m = T.CreateChecked(_m);
            for (int r = first; r < first + count; r++)
            {
                ReadOnlySpan<T> row = x.Slice(r * _m, _m);
                T mean = TensorPrimitives.Sum(row) / m;
                stats[2 * r] = mean;
                stats[(2 * r) + 1] = T.One / T.Sqrt((SumSquaredDeviations(row, mean) / m) + _eps);
            }
        }
    }

    /// <summary>y = (x − mean)·rstd, then ·weight + bias when the layer is affine.</summary>
    private sealed class ForwardKernel<T> : Kernel, IItemKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Tensor _x;
        private readonly Tensor _stats;
        private readonly Tensor? _weight;
        private readonly Tensor? _bias;
        private readonly Tensor _y;
        private readonly int _m;
        private readonly int _rows;
        private readonly Execution.WorkerTeam _team;
        private readonly int _rowsPerPart;

        public ForwardKernel(KernelBinding b)
            : base(b.Node)
        {
            (_x, _stats, _y) = (b.Input(0), b.Input(1), b.Output);
            (_weight, _bias) = b.Inputs.Length == 4 ? (b.Input(2), b.Input(3)) : (null, null);
            _m = RowLength(b, _x);
            _rows = Rows(_x, _m);
            _team = b.Context.Team;
            _rowsPerPart = FixedParts.ItemsPerPart(_m);
        }

        public override void Run() => FixedParts.RunItems(_team, this, _rows, _rowsPerPart);

        public void RunItems(int first, int count)
        {
            ReadOnlySpan<T> x = _x.AsSpan<T>();
            ReadOnlySpan<T> stats = _stats.AsSpan<T>();
            Span<T> y = _y.AsSpan<T>();
            for (int r = first; r < first + count; r++)
            {
                Span<T> row = y.Slice(r * _m, _m);
                TensorPrimitives.Subtract(x.Slice(r * _m, _m), stats[2 * r], row);
                TensorPrimitives.Multiply(row, stats[(2 * r) + 1], row);
                if (_weight is not null)
                {
                    TensorPrimitives.FusedMultiplyAdd(row, _weight.AsSpan<T>(), _bias!.AsSpan<T>(), row);
                }
            }
        }
    }

    /// <summary>dx = rstd·(u − A) − rstd²·B·(x − mean) per row, with u = grad·weight, A = Σu/M, B = Σu·(x − mean)·rstd/M.</summary>
    private sealed class BackwardKernel<T> : Kernel, IItemKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Tensor _grad;
        private readonly Tensor _x;
        private readonly Tensor _stats;
        private readonly Tensor? _weight;
        private readonly Tensor _dx;
        private readonly int _m;
        private readonly int _rows;
        private readonly Execution.WorkerTeam _team;
        private readonly int _rowsPerPart;

        public BackwardKernel(KernelBinding b)
            : base(b.Node)
        {
            (_grad, _x, _stats, _dx) = (b.Input(0), b.Input(1), b.Input(2), b.Output);
            _weight = b.Inputs.Length == 4 ? b.Input(3) : null;
            _m = RowLength(b, _x);
            _rows = Rows(_x, _m);
            _team = b.Context.Team;
            _rowsPerPart = FixedParts.ItemsPerPart(2L * _m);
        }

        public override void Run() => FixedParts.RunItems(_team, this, _rows, _rowsPerPart);

        public void RunItems(int first, int count)
        {
            ReadOnlySpan<T> grad = _grad.AsSpan<T>();
            ReadOnlySpan<T> x = _x.AsSpan<T>();
            ReadOnlySpan<T> stats = _stats.AsSpan<T>();
            Span<T> dx = _dx.AsSpan<T>();
            T m = T.CreateChecked(_m);
            for (int r = first; r < first + count; r++)
            {
                // u is written into dx's row first; the row is then rewritten in place into dx.
                Span<T> u = dx.Slice(r * _m, _m);
                ReadOnlySpan<T> xRow = x.Slice(r * _m, _m);
                if (_weight is null)
                {
                    grad.Slice(r * _m, _m).CopyTo(u);
                }
                else
                {
                    TensorPrimitives.Multiply(grad.Slice(r * _m, _m), _weight.AsSpan<T>(), u);
                }

                T mean = stats[2 * r], rstd = stats[(2 * r) + 1];
                T a = TensorPrimitives.Sum<T>(u) / m;
                T scale = rstd * rstd * rstd * DotCentered<T>(u, xRow, mean) / m;
                Rewrite(u, xRow, rstd, a, scale, mean);
            }
        }

        /// <summary>u ← rstd·(u − a) − scale·(x − mean), vectorized.</summary>
        private static void Rewrite(Span<T> u, ReadOnlySpan<T> x, T rstd, T a, T scale, T mean)
        {
            var vr = new Vector<T>(rstd);
            var va = new Vector<T>(a);
            var vs = new Vector<T>(scale);
            var vm = new Vector<T>(mean);
            int i = 0;
            for (; i <= u.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> result = (vr * (new Vector<T>(u[i..]) - va)) - (vs * (new Vector<T>(x[i..]) - vm));
                result.CopyTo(u[i..]);
            }

            for (; i < u.Length; i++)
            {
                u[i] = (rstd * (u[i] - a)) - (scale * (x[i] - mean));
            }
        }
    }

    /// <summary>[2, M]: Σ_rows grad·(x − mean)·rstd and Σ_rows grad, in fixed groups of columns.</summary>
    private sealed class AffineKernel<T> : Kernel, IItemKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Tensor _grad;
        private readonly Tensor _x;
        private readonly Tensor _stats;
        private readonly Tensor _sums;
        private readonly int _m;
        private readonly int _rows;
        private readonly Execution.WorkerTeam _team;
        private readonly int _columnsPerPart;

        public AffineKernel(KernelBinding b)
            : base(b.Node)
        {
            (_grad, _x, _stats, _sums) = (b.Input(0), b.Input(1), b.Input(2), b.Output);
            _m = RowLength(b, _x);
            _rows = Rows(_x, _m);
            _team = b.Context.Team;

            // Whole cache lines of columns per part, so two parts never write one line.
            _columnsPerPart = Math.Max(16, FixedParts.ItemsPerPart(2L * _rows) / 16 * 16);
        }

        public override void Run() => FixedParts.RunItems(_team, this, _m, _columnsPerPart);

        public void RunItems(int first, int count)
        {
            ReadOnlySpan<T> grad = _grad.AsSpan<T>();
            ReadOnlySpan<T> x = _x.AsSpan<T>();
            ReadOnlySpan<T> stats = _stats.AsSpan<T>();
            Span<T> dWeight = _sums.AsSpan<T>().Slice(first, count);
            Span<T> dBias = _sums.AsSpan<T>().Slice(_m + first, count);
            dWeight.Clear();
            dBias.Clear();
            for (int r = 0; r < _rows; r++)
            {
                ReadOnlySpan<T> g = grad.Slice((r * _m) + first, count);
                ReadOnlySpan<T> xr = x.Slice((r * _m) + first, count);
                T mean = stats[2 * r], rstd = stats[(2 * r) + 1];
                for (int i = 0; i < count; i++)
                {
                    dWeight[i] += g[i] * ((xr[i] - mean) * rstd);
                }

                TensorPrimitives.Add(dBias, g, dBias);
            }
        }
    }
}
