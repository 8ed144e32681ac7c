using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// softmax and log_softmax along one axis, stably: subtract the maximum, exponentiate, normalize. The tensor
/// is seen as [outer, size, inner]; with inner = 1 each row is contiguous, otherwise the size rows of
/// length inner are combined elementwise, so both cases are vectorized. The outer blocks are independent: fixed
/// groups of them run on the session's threads, each block with its own slice of the column statistics.
/// </summary>
internal sealed class SoftmaxKernel<T> : Kernel, IItemKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly bool _log;
    private readonly int _outer;
    private readonly int _size;
    private readonly int _inner;
    private readonly T[] _max;
    private readonly T[] _sum;
    private readonly Execution.WorkerTeam _team;
    private readonly int _blocksPerPart;

    internal SoftmaxKernel(KernelBinding b, bool log)
        : base(b.Node)
    {
        (_x, _y, _log) = (b.Input(0), b.Output, log);
        (_outer, _size, _inner) = AxisLayout.Split(_x.Shape, (int)b.Node.Attributes.Values["axis"]);
        int statistics = _inner == 1 ? 0 : _outer * _inner;
        _max = new T[statistics];
        _sum = new T[statistics];
        _team = b.Context.Team;
        _blocksPerPart = FixedParts.ItemsPerPart((long)_size * _inner);
    }

    public override void Run() => FixedParts.RunItems(_team, this, _outer, _blocksPerPart);

    /// <summary>Normalizes outer blocks [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public void RunItems(int first, int count)
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        int block = _size * _inner;
        for (int o = first; o < first + count; o++)
        {
            if (_inner == 1)
            {
                Row(x.Slice(o * block, block), y.Slice(o * block, block));
            }
            else
            {
                Columns(x.Slice(o * block, block), y.Slice(o * block, block), o);
            }
        }
    }

    private void Row(ReadOnlySpan<T> x, Span<T> y)
    {
        if (x.Length == 0)
        {
            return;
        }

        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        if (_log)
        {
            // y = (x − max) − log Σ e^(x − max); the exponentials are summed without a scratch buffer.
            T sum = T.Zero;
            foreach (T v in y)
            {
                sum += T.Exp(v);
            }

            TensorPrimitives.Subtract(y, T.Log(sum), y);
        }
        else
        {
            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
        }
    }

    private void Columns(ReadOnlySpan<T> x, Span<T> y, int block)
    {
        Span<T> max = _max.AsSpan(block * _inner, _inner);
        Span<T> sum = _sum.AsSpan(block * _inner, _inner);
        x[.._inner].CopyTo(max);
        for (int k = 1; k < _size; k++)
        {
            TensorPrimitives.Max(max, x.Slice(k * _inner, _inner), max);
        }

        sum.Clear();
        for (int k = 0; k < _size; k++)
        {
            Span<T> row = y.Slice(k * _inner, _inner);
            TensorPrimitives.Subtract(x.Slice(k * _inner, _inner), max, row);
            if (_log)
            {
                for (int i = 0; i < _inner; i++)
                {
                    sum[i] += T.Exp(row[i]);
                }
            }
            else
            {
                TensorPrimitives.Exp(row, row);
                TensorPrimitives.Add(sum, row, sum);
            }
        }

        if (_log)
        {
            TensorPrimitives.Log(sum, sum);
        }

        for (int k = 0; k < _size; k++)
        {
            Span<T> row = y.Slice(k * _inner, _inner);
            if (_log)
            {
                TensorPrimitives.Subtract(row, sum, row);
            }
            else
            {
                TensorPrimitives.Divide(row, sum, row);
            }
        }
    }
}

/// <summary>Picks <see cref="SoftmaxKernel{T}"/> by dtype.</summary>
internal static class SoftmaxKernel
{
    public static Kernel Softmax(KernelBinding b) => b.IsFloat32 ? new SoftmaxKernel<float>(b, log: false) : new SoftmaxKernel<double>(b, log: false);

    public static Kernel LogSoftmax(KernelBinding b) => b.IsFloat32 ? new SoftmaxKernel<float>(b, log: true) : new SoftmaxKernel<double>(b, log: true);
}
