using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime.Kernels;

// The binary functions of maximum, minimum and pow_tensor. TensorPrimitives.Max/Min propagate NaN, as torch.maximum does.

/// <summary>maximum: <c>max(x, y)</c>, NaN if either is.</summary>
internal readonly struct MaximumOperator<T> : IBinaryOperator<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.IsNaN(x) ? x : T.IsNaN(y) ? y : T.Max(x, y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Max(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Max(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Max(y, x, destination);
}

/// <summary>minimum: <c>min(x, y)</c>, NaN if either is.</summary>
internal readonly struct MinimumOperator<T> : IBinaryOperator<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.IsNaN(x) ? x : T.IsNaN(y) ? y : T.Min(x, y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Min(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Min(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Min(y, x, destination);
}

/// <summary>pow_tensor: <c>x^y</c>.</summary>
internal readonly struct PowTensorOperator<T> : IBinaryOperator<T>
    where T : IPowerFunctions<T>
{
    public static T Invoke(T x, T y) => T.Pow(x, y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);
}
