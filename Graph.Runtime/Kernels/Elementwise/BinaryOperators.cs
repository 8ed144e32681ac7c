using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime.Kernels;

// The elementwise functions of the binary ops, one struct each, named after the op they compute.

/// <summary>add: <c>x + y</c>.</summary>
internal readonly struct AddOperator<T> : IBinaryOperator<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => x + y;

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(y, x, destination);
}

/// <summary>sub: <c>x − y</c>.</summary>
internal readonly struct SubOperator<T> : IBinaryOperator<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => x - y;

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);
}

/// <summary>mul: <c>x · y</c>.</summary>
internal readonly struct MulOperator<T> : IBinaryOperator<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => x * y;

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(y, x, destination);
}

/// <summary>div: <c>x / y</c>.</summary>
internal readonly struct DivOperator<T> : IBinaryOperator<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => x / y;

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);
}
