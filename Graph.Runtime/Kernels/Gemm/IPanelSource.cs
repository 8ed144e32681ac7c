using System.Numerics;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Where the GEMM drivers get op(B) from: whoever knows how B's elements are laid out packs its panels. A stored
/// matrix is <see cref="MatrixPanels{T}"/>; a convolution packs its column matrix straight from the input image, so the
/// column matrix is never written out (implicit GEMM). A struct, so each source gets its own specialized driver.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal unsafe interface IPanelSource<T>
    where T : unmanaged, INumber<T>
{
    /// <summary>
    /// Packs panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>) of the <paramref name="kc"/> ×
    /// <paramref name="nc"/> block of op(B) whose top-left element is (<paramref name="pc"/>, <paramref name="jc"/>):
    /// panel q, at <c>packB + q·Nr·kc</c>, holds for each of its kc steps the Nr values of that row, zero past column
    /// nc. Threads packing disjoint panel ranges build one shared block.
    /// </summary>
    void Pack<TKernel>(int pc, int kc, int jc, int nc, int firstPanel, int endPanel, T* packB)
        where TKernel : struct, IGemmKernel<T>;

    /// <summary>
    /// True when packing costs more than copying (a gather from an image): the team driver then always packs each
    /// block once for all the threads, where for a stored matrix small products let each tile pack its own columns.
    /// </summary>
    bool PackingIsCostly { get; }
}

/// <summary>op(B) as a stored row-major matrix: B [k, n], or Bᵀ with B stored [n, k] when <paramref name="transB"/>.</summary>
internal readonly unsafe struct MatrixPanels<T>(bool transB, T* b, nint ldb) : IPanelSource<T>
    where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public void Pack<TKernel>(int pc, int kc, int jc, int nc, int firstPanel, int endPanel, T* packB)
        where TKernel : struct, IGemmKernel<T>
    {
        int first = firstPanel * TKernel.Nr;
        int cols = Math.Min(nc, endPanel * TKernel.Nr) - first;
        nint col = jc + first;
        T* block = transB ? b + (col * ldb) + pc : b + ((nint)pc * ldb) + col;
        GemmPacking.PackB<T, TKernel>(transB, block, ldb, kc, cols, packB + ((nint)first * kc));
    }

    /// <inheritdoc/>
    public bool PackingIsCostly => false;
}
