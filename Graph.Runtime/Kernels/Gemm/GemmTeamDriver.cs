using System.Numerics;
using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The loop nest of <see cref="GemmDriver{T, TKernel}"/> run on a <see cref="WorkerTeam"/>. When all of C's rows fit
/// one tile (at most Mc) or the product is small, one parallel loop over a grid of tiles, each a whole serial
/// product. Otherwise, for each Nc-wide column block and Kc-deep slice of k, two parallel loops: the first packs the
/// op(B) block once, for all threads, each part a fixed run of Nr panels; the second computes the block of C as a
/// fixed grid of tiles (at most Mc rows by a whole number of panels), each part packing its rows of op(A) into its
/// thread's workspace. Tiles are cut from the shape alone, on the Mr × Nr grid, and every element sums its k slices
/// in order with the same micro-kernel, so the result is bitwise the same whatever the thread count and whichever
/// thread takes a tile.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TKernel">The micro-kernel.</typeparam>
internal static unsafe class GemmTeamDriver<T, TKernel>
    where T : unmanaged, INumber<T>
    where TKernel : struct, IGemmKernel<T>
{
    // Column tiles are cut until a block has this many tiles (rows of tiles come from Mc). Every tile repacks
    // its rows of op(A), and on two cores two big tiles measured faster than 4 or 16 small ones for 64-row products.
    private const int TargetTiles = 2;

    // The narrowest tile, in panels: each tile repacks its rows of op(A), so narrower tiles would pack A too often.
    private const int MinimumTilePanels = 4;

    // The m·nc·kc of one slice below which sharing the packed B is not worth two joins per slice: about 0.3 ms of
    // one core's work.
    private const long MinimumSharedSliceWork = 32L << 20;

    // The most elements of op(B) packed for all of k at once: 2 MB of float, within one core's L2 and far within L3,
    // which the tiles read it from. Larger blocks keep the per-slice loops, whose packed slice stays in L2.
    private static int WholeDepthElements => GemmDriver<T, TKernel>.PackBLength / 2;

    // Panels per packing part: a few hundred kilobytes at most, enough to amortize claiming the part.
    private const int PackPanels = 4;

    /// <summary>
    /// C = alpha · op(A) · op(B) + beta · C for m, n, k all positive and alpha nonzero; arguments already checked.
    /// <paramref name="workspaces"/> has one workspace per team thread; the first one's B buffer holds the shared block.
    /// Each tile gets <paramref name="epilogue"/> on the thread that computed it, once it has summed all of k.
    /// </summary>
    public static void Run<TSource, TEpilogue>(
        WorkerTeam team, GemmWorkspace[] workspaces, bool transA, int m, int n, int k, T alpha,
        T* a, nint lda, TSource b, T beta, T* c, nint ldc, TEpilogue epilogue)
        where TSource : struct, IPanelSource<T>
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        // Rows split evenly into as few tiles as fit Mc, rounded to whole micro-panels; an even number of them, since
        // an odd few leave one of two threads idle for a whole tile.
        int rowTiles = CeilDiv(m, TKernel.Mc);
        rowTiles += rowTiles > 1 ? rowTiles & 1 : 0;
        int tileRows = RoundUp(CeilDiv(m, rowTiles), TKernel.Mr);
        rowTiles = CeilDiv(m, tileRows);

        if (rowTiles == 1 || (!b.PackingIsCostly && (long)m * Math.Min(n, TKernel.Nc) * Math.Min(k, TKernel.Kc) < MinimumSharedSliceWork))
        {
            // One loop: each tile runs the whole product for its region with its own buffers. With one row of tiles
            // each column tile's op(B) is packed once anyway; with small slices, the two loops' joins per slice
            // would cost more than packing op(B) once per row of tiles (unless packing is a gather, not a copy).
            int tileCols = TileColumns(n, rowTiles);
            int colTiles = CeilDiv(n, tileCols);
            Grid regions = new(m, n, tileRows, tileCols, colTiles);
            team.For(rowTiles * colTiles, new RegionBody<TSource, TEpilogue>(workspaces, regions, transA, k, alpha, a, lda, b, beta, c, ldc, epilogue));
            return;
        }

        T* packB = (T*)workspaces[0].PackB;
        for (int jc = 0; jc < n; jc += TKernel.Nc)
        {
            int nc = Math.Min(TKernel.Nc, n - jc);
            int panels = GemmDriver<T, TKernel>.PanelCount(nc);
            int tileCols = TileColumns(nc, rowTiles);
            Grid grid = new(m, nc, tileRows, tileCols, CeilDiv(nc, tileCols));
            int slices = CeilDiv(k, TKernel.Kc);
            if (slices > 1 && (long)k * panels * TKernel.Nr <= WholeDepthElements)
            {
                // The block's op(B) for all of k fits the shared buffer: pack it in one loop and compute in one more,
                // each tile running every k slice, instead of two joins per slice (a convolution's late layers,
                // 49 columns and 4608 deep, spent more time joining than multiplying).
                nint sliceStride = (nint)panels * TKernel.Nr * TKernel.Kc;
                int packParts = CeilDiv(panels, PackPanels);
                team.For(slices * packParts, new PackDepthBody<TSource>(b, k, jc, nc, panels, packParts, sliceStride, packB));
                team.For(rowTiles * grid.ColTiles, new DepthTileBody<TEpilogue>(workspaces, grid, transA, a, lda, k, alpha, packB, sliceStride, beta, c, jc, ldc, epilogue));
                continue;
            }

            for (int pc = 0; pc < k; pc += TKernel.Kc)
            {
                int kc = Math.Min(TKernel.Kc, k - pc);
                team.For(CeilDiv(panels, PackPanels), new PackBody<TSource>(b, pc, kc, jc, nc, panels, packB));

                // Only the first slice of k applies the caller's beta; later slices add onto what it left.
                T sliceBeta = pc == 0 ? beta : T.One;
                team.For(rowTiles * grid.ColTiles, new TileBody<TEpilogue>(workspaces, grid, transA, a, lda, pc, kc, pc + kc == k, alpha, packB, sliceBeta, c, jc, ldc, epilogue));
            }
        }
    }

    /// <summary>Tile width for <paramref name="cols"/> columns under <paramref name="rowTiles"/> rows of tiles: whole panels.</summary>
    private static int TileColumns(int cols, int rowTiles)
    {
        int panels = GemmDriver<T, TKernel>.PanelCount(cols);
        int colTiles = Math.Clamp(CeilDiv(TargetTiles, rowTiles), 1, Math.Max(1, panels / MinimumTilePanels));
        return CeilDiv(panels, colTiles) * TKernel.Nr;
    }

    private static int CeilDiv(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => CeilDiv(value, multiple) * multiple;

    /// <summary>The tiles of one block of C: <see cref="TileRows"/> × <see cref="TileCols"/> each, numbered row-major.</summary>
    private readonly record struct Grid(int Rows, int Cols, int TileRows, int TileCols, int ColTiles);

    /// <summary>Part q computes tile q of C over all of k, with the running thread's workspace.</summary>
    private readonly struct RegionBody<TSource, TEpilogue>(
        GemmWorkspace[] workspaces, Grid grid, bool transA, int k, T alpha, T* a, nint lda, TSource b, T beta, T* c, nint ldc, TEpilogue epilogue) : IParallelBody
        where TSource : struct, IPanelSource<T>
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        public void Run(int part, int worker)
        {
            int row = part / grid.ColTiles * grid.TileRows;
            int col = part % grid.ColTiles * grid.TileCols;
            int rows = Math.Min(grid.TileRows, grid.Rows - row), cols = Math.Min(grid.TileCols, grid.Cols - col);
            T* aRows = transA ? a + row : a + (row * lda);
            GemmDriver<T, TKernel>.Run(transA, rows, cols, k, alpha, aRows, lda, b, col, beta, c + (row * ldc) + col, ldc, workspaces[worker]);
            if (!epilogue.IsEmpty)
            {
                epilogue.Apply(row, rows, col, cols, c, ldc);
            }
        }
    }

    /// <summary>Part q packs panels [q·PackPanels, (q + 1)·PackPanels) of the shared B block.</summary>
    private readonly struct PackBody<TSource>(TSource b, int pc, int kc, int jc, int nc, int panels, T* packB) : IParallelBody
        where TSource : struct, IPanelSource<T>
    {
        public void Run(int part, int worker)
        {
            int first = part * PackPanels;
            b.Pack<TKernel>(pc, kc, jc, nc, first, Math.Min(panels, first + PackPanels), packB);
        }
    }

    /// <summary>
    /// Part q packs panel group q % <paramref name="groups"/> of k slice q / groups into that slice's place in the
    /// shared buffer, <paramref name="sliceStride"/> elements apart.
    /// </summary>
    private readonly struct PackDepthBody<TSource>(TSource b, int k, int jc, int nc, int panels, int groups, nint sliceStride, T* packB) : IParallelBody
        where TSource : struct, IPanelSource<T>
    {
        public void Run(int part, int worker)
        {
            (int slice, int group) = Math.DivRem(part, groups);
            int pc = slice * TKernel.Kc;
            int first = group * PackPanels;
            b.Pack<TKernel>(pc, Math.Min(TKernel.Kc, k - pc), jc, nc, first, Math.Min(panels, first + PackPanels), packB + (slice * sliceStride));
        }
    }

    /// <summary>
    /// Part q computes tile q of the block (of C from column <paramref name="jc"/>) over all of k, slice by slice in order,
    /// from the buffer <see cref="PackDepthBody{TSource}"/> filled, then applies the epilogue.
    /// </summary>
    private readonly struct DepthTileBody<TEpilogue>(
        GemmWorkspace[] workspaces, Grid grid, bool transA, T* a, nint lda, int k, T alpha, T* packB, nint sliceStride, T beta, T* c, int jc, nint ldc, TEpilogue epilogue) : IParallelBody
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        public void Run(int part, int worker)
        {
            int row = part / grid.ColTiles * grid.TileRows;
            int col = part % grid.ColTiles * grid.TileCols;
            int rows = Math.Min(grid.TileRows, grid.Rows - row), cols = Math.Min(grid.TileCols, grid.Cols - col);
            GemmWorkspace workspace = workspaces[worker];
            for (int pc = 0, slice = 0; pc < k; pc += TKernel.Kc, slice++)
            {
                // Only the first slice of k applies the caller's beta; later slices add onto what it left.
                GemmDriver<T, TKernel>.MultiplyRows(
                    transA, a, lda, pc, Math.Min(TKernel.Kc, k - pc), row, rows, alpha,
                    packB + (slice * sliceStride), col, cols, pc == 0 ? beta : T.One, c + jc, ldc,
                    (T*)workspace.PackA, (T*)workspace.Tile);
            }

            if (!epilogue.IsEmpty)
            {
                epilogue.Apply(row, rows, jc + col, cols, c, ldc);
            }
        }
    }

    /// <summary>
    /// Part q computes tile q of the block's k slice (of C from column <paramref name="jc"/>), packing its op(A) rows with
    /// the running thread's workspace; after the last slice it applies the epilogue.
    /// </summary>
    private readonly struct TileBody<TEpilogue>(
        GemmWorkspace[] workspaces, Grid grid, bool transA, T* a, nint lda, int pc, int kc, bool lastSlice, T alpha, T* packB, T beta, T* c, int jc, nint ldc, TEpilogue epilogue) : IParallelBody
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        public void Run(int part, int worker)
        {
            int row = part / grid.ColTiles * grid.TileRows;
            int col = part % grid.ColTiles * grid.TileCols;
            int rows = Math.Min(grid.TileRows, grid.Rows - row), cols = Math.Min(grid.TileCols, grid.Cols - col);
            GemmWorkspace workspace = workspaces[worker];
            GemmDriver<T, TKernel>.MultiplyRows(transA, a, lda, pc, kc, row, rows, alpha, packB, col, cols, beta, c + jc, ldc, (T*)workspace.PackA, (T*)workspace.Tile);
            if (lastSlice && !epilogue.IsEmpty)
            {
                epilogue.Apply(row, rows, jc + col, cols, c, ldc);
            }
        }
    }}
