using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// sum, mean, sum_to and max: the input is walked in runs with the output broadcast over the reduced axes
/// (stride 0). A run along a reduced axis folds into one output element; a run along a kept axis folds
/// elementwise into a run of the output. Both are single vectorized calls.
/// </summary>
internal sealed class ReduceKernel<T> : Kernel
    where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly StridedLayout _layout;
    private readonly bool _isMax;
    private readonly T _scale;

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
    }

    public override void Run()
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        y.Fill(_isMax ? (typeof(T) == typeof(long) ? T.MinValue : T.CreateTruncating(double.NegativeInfinity)) : T.Zero);
        int n = _layout.InnerLength;
        bool foldsRun = _layout.InnerStride(1) == 0;
        for (int run = 0; run < _layout.OuterCount; run++)
        {
            ReadOnlySpan<T> src = x.Slice(_layout.Offset(0, run), n);
            int o = _layout.Offset(1, run);
            if (foldsRun)
            {
                y[o] = _isMax ? MaxPropagatingNaN(y[o], TensorPrimitives.Max(src)) : y[o] + TensorPrimitives.Sum(src);
            }
            else if (_isMax)
            {
                TensorPrimitives.Max(y.Slice(o, n), src, y.Slice(o, n));
            }
            else
            {
                TensorPrimitives.Add(y.Slice(o, n), src, y.Slice(o, n));
            }
        }

        if (_scale != T.One)
        {
            TensorPrimitives.Multiply(y, _scale, y);
        }
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
