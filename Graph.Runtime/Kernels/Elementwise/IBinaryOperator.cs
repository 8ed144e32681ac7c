namespace Graph.Runtime.Kernels;

/// <summary>An elementwise function of two operands, with the span forms broadcasting needs.</summary>
internal interface IBinaryOperator<T>
{
    static abstract T Invoke(T x, T y);

    static abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    static abstract void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination);

    static abstract void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination);
}
