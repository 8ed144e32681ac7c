using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime.Kernels;

/// <summary>
/// <c>C = op(A) · op(B)</c>, or <c>C += op(A) · op(B)</c> when accumulating, for row-major matrices with leading
/// dimensions: the one place kernels multiply matrices, so that a faster GEMM replaces it in this file alone.
/// op(A) is [m, k] (A is stored [k, m] when <c>transA</c>) and op(B) is [k, n] (B is stored [n, k] when <c>transB</c>).
/// </summary>
internal static class MatrixMultiply
{
    // Blocks of B small enough to stay in L2 while every row of A passes over them.
    private const int ColumnBlock = 512;
    private const int DepthBlock = 128;
    private const int DotDepthBlock = 512;
    private const int DotRowBlock = 64;

    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        if (!accumulate)
        {
            for (int i = 0; i < m; i++)
            {
                c.Slice(i * ldc, n).Clear();
            }
        }

        if (transB)
        {
            MultiplyByTransposed(transA, m, n, k, a, lda, b, ldb, c, ldc);
        }
        else
        {
            MultiplyRows(transA, m, n, k, a, lda, b, ldb, c, ldc);
        }
    }

    /// <summary>Row i of C gains <c>Σₚ op(A)[i, p] · B[p, :]</c>: one vectorized multiply-add per row of B.</summary>
    private static void MultiplyRows<T>(bool transA, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        for (int j0 = 0; j0 < n; j0 += ColumnBlock)
        {
            int width = Math.Min(ColumnBlock, n - j0);
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                int depth = Math.Min(DepthBlock, k - p0);
                for (int i = 0; i < m; i++)
                {
                    Span<T> row = c.Slice((i * ldc) + j0, width);
                    for (int p = p0; p < p0 + depth; p++)
                    {
                        T scale = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                        TensorPrimitives.MultiplyAdd(b.Slice((p * ldb) + j0, width), scale, row, row);
                    }
                }
            }
        }
    }

    /// <summary>With B stored [n, k], each element of C gains the dot product of a row of op(A) and a row of B.</summary>
    private static void MultiplyByTransposed<T>(bool transA, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        for (int j0 = 0; j0 < n; j0 += DotRowBlock)
        {
            int rows = Math.Min(DotRowBlock, n - j0);
            for (int p0 = 0; p0 < k; p0 += DotDepthBlock)
            {
                int depth = Math.Min(DotDepthBlock, k - p0);
                for (int i = 0; i < m; i++)
                {
                    for (int j = j0; j < j0 + rows; j++)
                    {
                        ReadOnlySpan<T> bRow = b.Slice((j * ldb) + p0, depth);
                        c[(i * ldc) + j] += transA ? StridedDot(a, (p0 * lda) + i, lda, bRow) : TensorPrimitives.Dot(a.Slice((i * lda) + p0, depth), bRow);
                    }
                }
            }
        }
    }

    /// <summary>The dot product of <paramref name="y"/> with elements of <paramref name="x"/> <paramref name="stride"/> apart.</summary>
    private static T StridedDot<T>(ReadOnlySpan<T> x, int start, int stride, ReadOnlySpan<T> y)
        where T : unmanaged, INumber<T>
    {
        T sum = T.Zero;
        for (int p = 0; p < y.Length; p++)
        {
            sum += x[start + (p * stride)] * y[p];
        }

        return sum;
    }
}
