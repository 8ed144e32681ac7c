using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// softmax and log_softmax along one axis, stably: subtract the maximum, exponentiate, normalize. The tensor
/// is seen as [outer, size, inner]; with inner = 1 each row is contiguous, otherwise the size rows of
/// length inner are combined elementwise, so both cases are vectorized.
/// </summary>
internal sealed class SoftmaxKernel<T> : Kernel
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

    internal SoftmaxKernel(KernelBinding b, bool log)
        : base(b.Node)
    {
        (_x, _y, _log) = (b.Input(0), b.Output, log);
        (_outer, _size, _inner) = AxisLayout.Split(_x.Shape, (int)b.Node.Attributes.Values["axis"]);
        _max = new T[_inner];
        _sum = new T[_inner];
    }

    public override void Run()
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        int block = _size * _inner;
        for (int o = 0; o < _outer; o++)
        {
            if (_inner == 1)
            {
                Row(x.Slice(o * block, block), y.Slice(o * block, block));
            }
            else
            {
                Columns(x.Slice(o * block, block), y.Slice(o * block, block));
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

    private void Columns(ReadOnlySpan<T> x, Span<T> y)
    {
        Span<T> max = _max;
        Span<T> sum = _sum;
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
