using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime.Kernels;

// The TensorPrimitives-backed functions of sin, cos and rsqrt.

/// <summary>sin.</summary>
internal readonly struct SinOperator<T> : IUnaryOperator<T>
    where T : ITrigonometricFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Sin(x, destination);
}

/// <summary>cos.</summary>
internal readonly struct CosOperator<T> : IUnaryOperator<T>
    where T : ITrigonometricFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Cos(x, destination);
}

/// <summary>rsqrt: <c>1 / √x</c>, a division, not the hardware estimate (torch's is exact too).</summary>
internal readonly struct RsqrtOperator<T> : IUnaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.ReciprocalSqrt(x, destination);
}
