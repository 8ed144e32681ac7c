using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Graph.Runtime.Kernels;

// The elementwise functions of the unary ops, one struct each, named after the op they compute.
// Each is a TensorPrimitives call where one exists, so the loops are vectorized once, in one place.

/// <summary>neg: <c>-x</c>.</summary>
internal readonly struct NegOperator<T> : IUnaryOperator<T>
    where T : IUnaryNegationOperators<T, T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Negate(x, destination);
}

/// <summary>exp: <c>e^x</c>.</summary>
internal readonly struct ExpOperator<T> : IUnaryOperator<T>
    where T : IExponentialFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Exp(x, destination);
}

/// <summary>log: <c>ln x</c>.</summary>
internal readonly struct LogOperator<T> : IUnaryOperator<T>
    where T : ILogarithmicFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Log(x, destination);
}

/// <summary>sqrt: <c>√x</c>.</summary>
internal readonly struct SqrtOperator<T> : IUnaryOperator<T>
    where T : IRootFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Sqrt(x, destination);
}

/// <summary>tanh.</summary>
internal readonly struct TanhOperator<T> : IUnaryOperator<T>
    where T : IHyperbolicFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Tanh(x, destination);
}

/// <summary>sigmoid: <c>1 / (1 + e^−x)</c>.</summary>
internal readonly struct SigmoidOperator<T> : IUnaryOperator<T>
    where T : IExponentialFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Sigmoid(x, destination);
}

/// <summary>relu: <c>max(x, 0)</c>; NaN stays NaN, as in PyTorch.</summary>
internal readonly struct ReluOperator<T> : IUnaryOperator<T>
    where T : INumber<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Max(x, T.Zero, destination);
}

/// <summary>abs: <c>|x|</c>.</summary>
internal readonly struct AbsOperator<T> : IUnaryOperator<T>
    where T : INumberBase<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Abs(x, destination);
}

/// <summary>step: <c>[x &gt; 0]</c> as 1 or 0 (NaN gives 0). A vector compare and select: a per-element branch on
/// a ReLU's output, about half zeros, mispredicts so often that it ran 20× slower than the memory it reads.</summary>
internal readonly struct StepOperator<T> : IUnaryOperator<T>
    where T : struct, INumber<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<T>> xs = MemoryMarshal.Cast<T, Vector<T>>(x);
            Span<Vector<T>> ds = MemoryMarshal.Cast<T, Vector<T>>(destination);
            for (int v = 0; v < xs.Length; v++)
            {
                ds[v] = Vector.ConditionalSelect(Vector.GreaterThan(xs[v], Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
            }

            i = xs.Length * Vector<T>.Count;
        }

        for (; i < x.Length; i++)
        {
            destination[i] = x[i] > T.Zero ? T.One : T.Zero;
        }
    }
}

/// <summary>sign: −1, 0 or 1 (NaN stays NaN, as in PyTorch), as vector compares and selects.</summary>
internal readonly struct SignOperator<T> : IUnaryOperator<T>
    where T : struct, INumber<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<T>> xs = MemoryMarshal.Cast<T, Vector<T>>(x);
            Span<Vector<T>> ds = MemoryMarshal.Cast<T, Vector<T>>(destination);
            for (int v = 0; v < xs.Length; v++)
            {
                Vector<T> value = xs[v];
                Vector<T> negativeOrSame = Vector.ConditionalSelect(Vector.LessThan(value, Vector<T>.Zero), -Vector<T>.One, value);
                ds[v] = Vector.ConditionalSelect(Vector.GreaterThan(value, Vector<T>.Zero), Vector<T>.One, negativeOrSame);
            }

            i = xs.Length * Vector<T>.Count;
        }

        for (; i < x.Length; i++)
        {
            T v = x[i];
            destination[i] = v > T.Zero ? T.One : v < T.Zero ? -T.One : v;
        }
    }
}
