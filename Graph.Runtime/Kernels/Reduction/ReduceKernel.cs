using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// sum, mean, sum_to and max: the input is walked in runs with the output broadcast over the reduced axes
/// (stride 0). A run along a reduced axis folds into one output element; a run along a kept axis folds
/// elementwise into a run of the output. Both are single vectorized calls.
/// </summary>
/// <remarks>
/// Large reductions run in fixed parts on the session's threads, each owning a disjoint set of outputs so that every
/// output element still receives its runs in the one-thread order: a run along a kept axis is split into column
/// pieces; runs that fold are split along the outer kept axis of largest extent (batch norm's and conv bias's
/// channels). A reduction to one element of one long run sums fixed chunks, then adds the chunk sums in chunk order.
/// </remarks>
internal sealed class ReduceKernel<T> : Kernel, IItemKernel
    where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly StridedLayout _layout;
    private readonly bool _isMax;
    private readonly T _scale;
    private readonly Execution.WorkerTeam _team;
    private readonly Split _split;
    private readonly int _items;
    private readonly int _itemsPerPart;

    // Split.Axis: run = (l·_extent + d)·_right + r for l < _left, d < _extent along the split axis, r < _right.
    private readonly int _left;
    private readonly int _extent;
    private readonly int _right;

    // Split.Chunks: one partial result per chunk, combined in chunk order.
    private readonly T[] _partials = [];

    internal ReduceKernel(KernelBinding binding, bool isMax, bool isMean)
        : base(binding.Node)
    {
        (_x, _y) = (binding.Input(0), binding.Output);
        Shape input = _x.Shape;
        Shape kept = KeptShape(binding.Node, input);
        _layout = StridedLayout.Create(input, input.Strides(), StridedLayout.BroadcastStrides(kept, input));
        _isMax = isMax;
        long reduced = _y.ElementCount == 0 ? 1 : input.ElementCount / _y.ElementCount;
        _scale = isMean ? T.One / T.CreateChecked(reduced) : T.One;
        _team = binding.Context.Team;

        int n = _layout.InnerLength;
        long work = (long)_layout.OuterCount * n;
        (_split, _items, _itemsPerPart) = (Split.None, 1, 1);
        if (_layout.InnerStride(1) != 0)
        {
            (_split, _items, _itemsPerPart) = (Split.Columns, n, FixedParts.ItemsPerPart(_layout.OuterCount));
        }
        else if (_layout.OuterCount == 1 && n > FixedParts.Elements)
        {
            (_split, _items) = (Split.Chunks, FixedParts.Count(n, FixedParts.Elements));
            _partials = new T[_items];
        }
        else if (KeptAxis() is int axis)
        {
            _extent = _layout.OuterDim(axis);
            (_left, _right) = (1, 1);
            for (int a = 0; a < _layout.OuterRank; a++)
            {
                if (a < axis)
                {
                    _left *= _layout.OuterDim(a);
                }
                else if (a > axis)
                {
                    _right *= _layout.OuterDim(a);
                }
            }

            (_split, _items, _itemsPerPart) = (Split.Axis, _extent, FixedParts.ItemsPerPart(work / _extent));
        }
    }

    private enum Split
    {
        /// <summary>One part: every run in order.</summary>
        None,

        /// <summary>Items are columns of the runs, which do not fold.</summary>
        Columns,

        /// <summary>Items are indices along one outer kept axis.</summary>
        Axis,

        /// <summary>Items are fixed chunks of the one run, reduced to partial results.</summary>
        Chunks,
    }

    private T Initial => _isMax ? (typeof(T) == typeof(long) ? T.MinValue : T.CreateTruncating(double.NegativeInfinity)) : T.Zero;

    public override void Run()
    {
        Span<T> y = _y.AsSpan<T>();
        y.Fill(Initial);
        FixedParts.RunItems(_team, this, _items, _itemsPerPart);
        if (_split == Split.Chunks)
        {
            T total = Initial;
            foreach (T partial in _partials)
            {
                total = Combine(total, partial);
            }

            y[0] = total;
        }

        if (_scale != T.One)
        {
            TensorPrimitives.Multiply(y, _scale, y);
        }
    }

    /// <summary>Reduces items [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of the split.</summary>
    public void RunItems(int first, int count)
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        int n = _layout.InnerLength;
        switch (_split)
        {
            case Split.Columns:
                for (int run = 0; run < _layout.OuterCount; run++)
                {
                    Fold(x, y, run, first, count);
                }

                break;
            case Split.Axis:
                for (int l = 0; l < _left; l++)
                {
                    for (int d = first; d < first + count; d++)
                    {
                        for (int r = 0; r < _right; r++)
                        {
                            Fold(x, y, (((l * _extent) + d) * _right) + r, 0, n);
                        }
                    }
                }

                break;
            case Split.Chunks:
                for (int chunk = first; chunk < first + count; chunk++)
                {
                    (int start, int length) = FixedParts.Range(chunk, n);
                    _partials[chunk] = Reduce(x.Slice(start, length));
                }

                break;
            default:
                for (int run = 0; run < _layout.OuterCount; run++)
                {
                    Fold(x, y, run, 0, n);
                }

                break;
        }
    }

    /// <summary>Folds elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of run <paramref name="run"/> into the output.</summary>
    private void Fold(ReadOnlySpan<T> x, Span<T> y, int run, int start, int length)
    {
        ReadOnlySpan<T> src = x.Slice(_layout.Offset(0, run) + start, length);
        int o = _layout.Offset(1, run);
        if (_layout.InnerStride(1) == 0)
        {
            y[o] = Combine(y[o], Reduce(src));
        }
        else if (_isMax)
        {
            TensorPrimitives.Max(y.Slice(o + start, length), src, y.Slice(o + start, length));
        }
        else
        {
            TensorPrimitives.Add(y.Slice(o + start, length), src, y.Slice(o + start, length));
        }
    }

    private T Reduce(ReadOnlySpan<T> src) => _isMax ? TensorPrimitives.Max(src) : TensorPrimitives.Sum(src);

    private T Combine(T a, T b) => _isMax ? MaxPropagatingNaN(a, b) : a + b;

    /// <summary>The outer axis of largest extent along which the output moves, if any.</summary>
    private int? KeptAxis()
    {
        int? best = null;
        for (int a = 0; a < _layout.OuterRank; a++)
        {
            if (_layout.OuterStride(1, a) != 0 && (best is null || _layout.OuterDim(a) > _layout.OuterDim(best.Value)))
            {
                best = a;
            }
        }

        return best;
    }

    /// <summary>The output's shape with every reduced axis kept as size 1, so it broadcasts over the input.</summary>
    private static Shape KeptShape(Value node, Shape input)
    {
        if (node.Attributes.Values.TryGetValue("axes", out object? axes))
        {
            var dims = input.ToArray();
            foreach (int axis in (int[])axes)
            {
                dims[axis] = 1;
            }

            return new Shape(dims);
        }

        return node.Shape; // sum_to: the target shape already broadcasts to the input
    }

    private static T MaxPropagatingNaN(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? T.CreateTruncating(double.NaN) : T.Max(a, b);
}

/// <summary>The reductions, by dtype.</summary>
internal static class ReduceKernel
{
    public static Kernel Sum(KernelBinding b) => Create(b, isMax: false, isMean: false);

    public static Kernel Mean(KernelBinding b) => Create(b, isMax: false, isMean: true);

    public static Kernel Max(KernelBinding b) => Create(b, isMax: true, isMean: false);

    private static Kernel Create(KernelBinding b, bool isMax, bool isMean) => b.Output.DType switch
    {
        DType.Float32 => new ReduceKernel<float>(b, isMax, isMean),
        DType.Float64 => new ReduceKernel<double>(b, isMax, isMean),
        _ => new ReduceKernel<long>(b, isMax, isMean),
    };
}
