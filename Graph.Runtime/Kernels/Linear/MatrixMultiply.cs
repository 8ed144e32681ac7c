using System.Numerics;
using System.Runtime.InteropServices;

namespace Graph.Runtime.Kernels;

/// <summary>
/// <c>C = op(A) · op(B)</c>, or <c>C += op(A) · op(B)</c> when accumulating, for row-major matrices with leading
/// dimensions: the one place kernels multiply matrices. It hands the product to the session's GEMM
/// (<see cref="GemmParallel"/>: packed, register-blocked AVX-512/AVX2 micro-kernels on the session's threads).
/// op(A) is [m, k] (A is stored [k, m] when <c>transA</c>) and op(B) is [k, n] (B is stored [n, k] when <c>transB</c>).
/// </summary>
internal static class MatrixMultiply
{
    public static void Multiply<T>(KernelContext context, bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            context.Gemm.Multiply(transA, transB, m, n, k, 1f, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb, accumulate ? 1f : 0f, MemoryMarshal.Cast<T, float>(c), ldc);
        }
        else if (typeof(T) == typeof(double))
        {
            context.Gemm.Multiply(transA, transB, m, n, k, 1.0, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb, accumulate ? 1.0 : 0.0, MemoryMarshal.Cast<T, double>(c), ldc);
        }
        else
        {
            throw new NotSupportedException($"Matrix products are float32 or float64, not {typeof(T).Name}.");
        }
    }
    /// <summary><c>C = op(A) · op(B)</c>, then <paramref name="epilogue"/> on each block of C as the GEMM finishes it (a linear layer's bias and ReLU).</summary>
    public static void Multiply<T, TEpilogue>(KernelContext context, bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, TEpilogue epilogue)
        where T : unmanaged, INumber<T>
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        context.Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, T.Zero, c, ldc, epilogue);
    }

    /// <summary>
    /// <c>C = op(A) · B</c>, or <c>C += op(A) · B</c> when accumulating, where <paramref name="b"/> packs B [k, n] from
    /// wherever its elements live (a convolution's input image), so B is never stored as a matrix.
    /// </summary>
    public static void Multiply<T, TSource>(KernelContext context, bool transA, int m, int n, int k, ReadOnlySpan<T> a, int lda, TSource b, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
        where TSource : struct, IPanelSource<T>
    {
        context.Gemm.Multiply(transA, m, n, k, a, lda, b, accumulate ? T.One : T.Zero, c, ldc);
    }
}
