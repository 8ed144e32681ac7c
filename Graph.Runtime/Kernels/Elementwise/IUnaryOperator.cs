namespace Graph.Runtime.Kernels;

/// <summary>An elementwise function over a span; a struct, so the kernel's call is specialized and inlined.</summary>
internal interface IUnaryOperator<T>
{
    static abstract void Invoke(ReadOnlySpan<T> x, Span<T> destination);
}
