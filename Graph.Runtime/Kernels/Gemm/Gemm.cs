using System.Numerics;

namespace Graph.Runtime.Kernels;

/// <summary>
/// General matrix multiply, C = alpha · op(A) · op(B) + beta · C, on row-major data with leading dimensions (row
/// strides). op(A) is A (m × k) or, when <c>transA</c>, Aᵀ with A stored k × m; op(B) is B (k × n) or, when
/// <c>transB</c>, Bᵀ with B stored n × k. Beta zero overwrites C without reading it (old NaNs vanish), as BLAS does;
/// alpha zero or k zero leaves C = beta · C without reading A or B.
/// </summary>
/// <remarks>
/// Every call runs on the calling thread and allocates nothing; the packing buffers come from the
/// <see cref="GemmWorkspace"/>. To use several threads, give each a workspace and a disjoint region of C through
/// <c>MultiplyRegion</c>, or use <see cref="GemmParallel"/>.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>C = alpha · op(A) · op(B) + beta · C in single precision.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="workspace"/> is null.</exception>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is too small, or a span is too short.</exception>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, GemmWorkspace workspace)
    {
        MultiplyRegion(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m, 0, n, workspace);
    }

    /// <summary>C = alpha · op(A) · op(B) + beta · C in double precision.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="workspace"/> is null.</exception>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is too small, or a span is too short.</exception>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc, GemmWorkspace workspace)
    {
        MultiplyRegion(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m, 0, n, workspace);
    }

    /// <summary>
    /// Computes only rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) and columns
    /// [<paramref name="colStart"/>, <paramref name="colEnd"/>) of C = alpha · op(A) · op(B) + beta · C, leaving the
    /// rest of C untouched. This is the split point for threads: disjoint regions, one workspace per thread.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="workspace"/> is null.</exception>
    /// <exception cref="ArgumentException">An argument is invalid for the whole product, or the region is not inside C.</exception>
    public static void MultiplyRegion(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        int rowStart, int rowEnd, int colStart, int colEnd, GemmWorkspace workspace)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc, workspace);
        GemmArguments.ValidateRegion(m, n, rowStart, rowEnd, colStart, colEnd);
        fixed (float* pa = a, pb = b, pc = c)
        {
            MultiplyRegionCore(transA, transB, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, rowStart, rowEnd, colStart, colEnd, workspace);
        }
    }

    /// <inheritdoc cref="MultiplyRegion(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int, int, int, int, int, GemmWorkspace)"/>
    public static void MultiplyRegion(
        bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc,
        int rowStart, int rowEnd, int colStart, int colEnd, GemmWorkspace workspace)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc, workspace);
        GemmArguments.ValidateRegion(m, n, rowStart, rowEnd, colStart, colEnd);
        fixed (double* pa = a, pb = b, pc = c)
        {
            MultiplyRegionCore(transA, transB, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, rowStart, rowEnd, colStart, colEnd, workspace);
        }
    }

    /// <summary>The region product on pinned, already validated data.</summary>
    internal static void MultiplyRegionCore<T>(
        bool transA, bool transB, int k, T alpha, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc,
        int rowStart, int rowEnd, int colStart, int colEnd, GemmWorkspace workspace)
        where T : unmanaged, INumber<T>
    {
        // Rows of op(A) are stored rows of A, or stored columns when transposed; likewise columns of op(B).
        T* aRegion = a + (transA ? rowStart : rowStart * lda);
        T* bRegion = b + (transB ? colStart * ldb : colStart);
        T* cRegion = c + (rowStart * ldc) + colStart;
        MultiplyCore(transA, transB, rowEnd - rowStart, colEnd - colStart, k, alpha, aRegion, lda, bRegion, ldb, beta, cRegion, ldc, workspace);
    }

    private static void MultiplyCore<T>(
        bool transA, bool transB, int m, int n, int k, T alpha, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, GemmWorkspace workspace)
        where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == T.Zero)
        {
            GemmScaling.Scale(m, n, c, ldc, beta);
            return;
        }

        if (GemmSkinny.TryRun(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, vectorize: workspace.Path != GemmKernelPath.Scalar))
        {
            return;
        }

        if (GemmNarrow.Applies<T>(m, n, k, workspace))
        {
            GemmNarrow.Run(transA, transB, 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, workspace);
            return;
        }

        switch (workspace.Path)
        {
            case GemmKernelPath.Avx512:
                GemmDriver<T, Avx512Kernel<T>>.Run(transA, m, n, k, alpha, a, lda, new MatrixPanels<T>(transB, b, ldb), 0, beta, c, ldc, workspace);
                break;
            case GemmKernelPath.Avx2:
                GemmDriver<T, Avx2Kernel<T>>.Run(transA, m, n, k, alpha, a, lda, new MatrixPanels<T>(transB, b, ldb), 0, beta, c, ldc, workspace);
                break;
            default:
                GemmDriver<T, ScalarKernel<T>>.Run(transA, m, n, k, alpha, a, lda, new MatrixPanels<T>(transB, b, ldb), 0, beta, c, ldc, workspace);
                break;
        }
    }
}
