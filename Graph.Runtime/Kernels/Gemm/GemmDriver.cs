using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The GotoBLAS/BLIS loop nest around one micro-kernel. From the outside in: Nc-wide column blocks of C; Kc-deep
/// slices of the product, whose op(B) block is packed once (L3); Mc-tall row blocks, whose op(A) block is packed
/// once (L2); then Nr-wide B micro-panels (held in L1) against each Mr-tall A micro-panel in turn.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TKernel">The micro-kernel; a struct so the JIT compiles one specialized copy per kernel.</typeparam>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged, INumber<T>
    where TKernel : struct, IGemmKernel<T>
{
    /// <summary>Elements the packed A block needs: whole panels, since the last one is padded out to Mr rows.</summary>
    public static int PackALength => RoundUp(TKernel.Mc, TKernel.Mr) * TKernel.Kc;

    /// <summary>Elements the packed B block needs: whole panels, since the last one is padded out to Nr columns.</summary>
    public static int PackBLength => TKernel.Kc * RoundUp(TKernel.Nc, TKernel.Nr);

    /// <summary>Elements the edge tile needs.</summary>
    public static int TileLength => TKernel.Mr * TKernel.Nr;

    /// <summary>
    /// C = alpha · op(A) · op(B) + beta · C for m, n, k all positive and alpha nonzero; arguments already checked.
    /// op(B)'s columns [<paramref name="bColumn"/>, bColumn + n) come from <paramref name="b"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TSource>(
        bool transA, int m, int n, int k, T alpha, T* a, nint lda, TSource b, int bColumn, T beta, T* c, nint ldc, GemmWorkspace workspace)
        where TSource : struct, IPanelSource<T>
    {
        T* packA = (T*)workspace.PackA;
        T* packB = (T*)workspace.PackB;
        T* tile = (T*)workspace.Tile;
        if (m <= TKernel.Mc)
        {
            RunOneRowBlock(transA, m, n, k, alpha, a, lda, b, bColumn, beta, c, ldc, packA, packB, tile);
            return;
        }

        // Row blocks of equal height (whole micro-panels, at most Mc): 512 rows as 504 + 8 would run a block of two
        // mostly padded micro-panels against every packed B block.
        int rowBlocks = CeilDiv(m, TKernel.Mc);
        int mc = RoundUp(CeilDiv(m, rowBlocks), TKernel.Mr);
        for (int jc = 0; jc < n; jc += TKernel.Nc)
        {
            int nc = Math.Min(TKernel.Nc, n - jc);
            for (int pc = 0; pc < k; pc += TKernel.Kc)
            {
                int kc = Math.Min(TKernel.Kc, k - pc);
                b.Pack<TKernel>(pc, kc, bColumn + jc, nc, 0, PanelCount(nc), packB);

                // Only the first slice of k applies the caller's beta; later slices add onto what it left.
                T sliceBeta = pc == 0 ? beta : T.One;
                for (int ic = 0; ic < m; ic += mc)
                {
                    MultiplyRows(transA, a, lda, pc, kc, ic, Math.Min(mc, m - ic), alpha, packB, 0, nc, sliceBeta, c + jc, ldc, packA, tile);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Run"/> when all of C's rows are one row block (m ≤ Mc), so each B panel meets op(A) once: op(A)'s
    /// slice is packed once per k slice, and each B panel is packed just before the micro-kernel runs down it, into
    /// the start of the B buffer, where it is still in L1. Packing the whole Kc × Nc block first would write it out
    /// past L2 and read it back once. The tiles and the order of the k slices are <see cref="Run"/>'s, so the sums are
    /// bitwise the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunOneRowBlock<TSource>(
        bool transA, int m, int n, int k, T alpha, T* a, nint lda, TSource b, int bColumn, T beta, T* c, nint ldc, T* packA, T* packB, T* tile)
        where TSource : struct, IPanelSource<T>
    {
        for (int pc = 0; pc < k; pc += TKernel.Kc)
        {
            int kc = Math.Min(TKernel.Kc, k - pc);
            T* aBlock = transA ? a + ((nint)pc * lda) : a + pc;
            GemmPacking.PackA<T, TKernel>(transA, aBlock, lda, m, kc, packA);
            T sliceBeta = pc == 0 ? beta : T.One;
            for (int jr = 0; jr < n; jr += TKernel.Nr)
            {
                int nr = Math.Min(TKernel.Nr, n - jr);
                b.Pack<TKernel>(pc, kc, bColumn + jr, nr, 0, 1, packB);
                MultiplyPackedBlock(m, nr, kc, alpha, packA, packB, sliceBeta, c + jr, ldc, tile);
            }
        }
    }

    /// <summary>Nr-wide panels in a block <paramref name="nc"/> columns wide, the last one possibly partial.</summary>
    public static int PanelCount(int nc) => (nc + TKernel.Nr - 1) / TKernel.Nr;

    /// <summary>
    /// Rows [<paramref name="ic"/>, ic + <paramref name="mc"/>) and columns [<paramref name="firstColumn"/>,
    /// firstColumn + <paramref name="cols"/>) of one k slice of a block of C (which starts at <paramref name="c"/>):
    /// packs the rows' op(A) slice into <paramref name="packA"/> and multiplies it against the packed B block's panels
    /// for those columns. <paramref name="mc"/> is at most Mc; <paramref name="firstColumn"/> is a multiple of Nr.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyRows(
        bool transA, T* a, nint lda, int pc, int kc, int ic, int mc, T alpha,
        T* packB, int firstColumn, int cols, T beta, T* c, nint ldc, T* packA, T* tile)
    {
        T* aBlock = transA ? a + ((nint)pc * lda) + ic : a + ((nint)ic * lda) + pc;
        GemmPacking.PackA<T, TKernel>(transA, aBlock, lda, mc, kc, packA);
        MultiplyPackedBlock(mc, cols, kc, alpha, packA, packB + ((nint)firstColumn * kc), beta, c + ((nint)ic * ldc) + firstColumn, ldc, tile);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPackedBlock(int mc, int nc, int kc, T alpha, T* packA, T* packB, T beta, T* c, nint ldc, T* tile)
    {
        for (int jr = 0; jr < nc; jr += TKernel.Nr)
        {
            int nr = Math.Min(TKernel.Nr, nc - jr);
            T* bPanel = packB + ((nint)jr * kc);
            for (int ir = 0; ir < mc; ir += TKernel.Mr)
            {
                int mr = Math.Min(TKernel.Mr, mc - ir);
                T* aPanel = packA + ((nint)ir * kc);
                T* cTile = c + ((nint)ir * ldc) + jr;
                if (mr == TKernel.Mr && nr == TKernel.Nr)
                {
                    TKernel.Run(kc, aPanel, bPanel, cTile, ldc, alpha, beta);
                }
                else
                {
                    // A partial tile: compute the whole padded tile aside, then merge only the part inside C.
                    TKernel.Run(kc, aPanel, bPanel, tile, TKernel.Nr, T.One, T.Zero);
                    MergeEdge(tile, cTile, ldc, mr, nr, alpha, beta);
                }
            }
        }
    }

    private static int CeilDiv(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => CeilDiv(value, multiple) * multiple;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeEdge(T* tile, T* c, nint ldc, int rows, int cols, T alpha, T beta)
    {
        for (nint i = 0; i < rows; i++)
        {
            T* src = tile + (i * TKernel.Nr);
            T* dst = c + (i * ldc);
            if (beta == T.Zero)
            {
                for (nint j = 0; j < cols; j++)
                {
                    dst[j] = alpha * src[j];
                }
            }
            else
            {
                for (nint j = 0; j < cols; j++)
                {
                    dst[j] = (alpha * src[j]) + (beta * dst[j]);
                }
            }
        }
    }
}
