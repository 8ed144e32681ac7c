using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Products with a narrow C: n from 2 to <see cref="MaximumColumns"/> columns, as a convolution on a 2×2 or 3×3 map
/// at batch 1 produces (y[512, 4] = w[512, 4608] · columns[4608, 4]). The blocked path would pad every 32-wide
/// panel to compute mostly zeros and pack all of A for four columns of work; here op(B) alone is packed (it is
/// small) and A is streamed once, in its stored layout:
/// <list type="bullet">
/// <item>A not transposed (rows along k): dot products, two rows of A against four packed columns of B at a time;</item>
/// <item>A transposed (stored [k, m]): multiply-adds along m, two vectors of rows against four broadcast values of B.</item>
/// </list>
/// Every element is the same sequence of operations whichever rows it is computed with, so splitting the rows
/// across threads (<see cref="RowsPerPart"/>) does not change a bit.
/// </summary>
internal static unsafe class GemmNarrow
{
    /// <summary>The widest C this path takes; wider ones fill the blocked kernel's panels well enough.</summary>
    public const int MaximumColumns = 8;

    /// <summary>Rows of C per part when the rows are split across threads: a fixed number, never a share of the threads.</summary>
    public const int RowsPerPart = 256;

    // Columns of B handled together: four accumulators per row of A.
    private const int Group = 4;

    // Rows of C a transposed-A product accumulates at once: a 4 KB (float) tile of four columns, kept in L1.
    private const int ChunkRows = 256;

    /// <summary>True when <see cref="Run"/> takes this product: narrow C, enough rows to stream, and op(B) fits the workspace.</summary>
    public static bool Applies<T>(int m, int n, int k, GemmWorkspace workspace)
        where T : unmanaged, INumber<T> =>
        n >= 2 && n <= MaximumColumns && m >= 8 && k >= 1 && Vector.IsHardwareAccelerated
        && workspace.Path != GemmKernelPath.Scalar && (long)PaddedColumns(n) * k * sizeof(T) <= workspace.PackBBytes;

    /// <summary>C[rows, 0..n) = alpha · op(A)[rows, :] · op(B) + beta · C[rows, 0..n) for rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(
        bool transA, bool transB, int rowStart, int rowEnd, int n, int k, T alpha,
        T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, GemmWorkspace workspace)
        where T : unmanaged, INumber<T>
    {
        T* packed = (T*)workspace.PackB;
        int columns = PaddedColumns(n);
        if (!transA)
        {
            PackColumns(transB, n, k, b, ldb, columns, packed);
            for (int group = 0; group < columns; group += Group)
            {
                RowsTimesColumns(rowStart, rowEnd, Math.Min(Group, n - group), group, k, alpha, a, lda, packed + ((nint)group * k), beta, c, ldc);
            }
        }
        else
        {
            PackRows(transB, n, k, b, ldb, columns, packed);
            for (int group = 0; group < columns; group += Group)
            {
                ColumnsOfA(rowStart, rowEnd, Math.Min(Group, n - group), group, columns, k, alpha, a, lda, packed + group, beta, c, ldc);
            }
        }
    }

    private static int PaddedColumns(int n) => (n + Group - 1) / Group * Group;

    /// <summary>op(B)'s columns, each contiguous along k: [columns, k], the padding columns zero.</summary>
    private static void PackColumns<T>(bool transB, int n, int k, T* b, nint ldb, int columns, T* packed)
        where T : unmanaged, INumber<T>
    {
        for (int j = 0; j < columns; j++)
        {
            T* column = packed + ((nint)j * k);
            for (nint p = 0; p < k; p++)
            {
                column[p] = j >= n ? T.Zero : transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
            }
        }
    }

    /// <summary>op(B)'s rows, each contiguous along n: [k, columns], the padding columns zero.</summary>
    private static void PackRows<T>(bool transB, int n, int k, T* b, nint ldb, int columns, T* packed)
        where T : unmanaged, INumber<T>
    {
        for (nint p = 0; p < k; p++)
        {
            T* row = packed + (p * columns);
            for (int j = 0; j < columns; j++)
            {
                row[j] = j >= n ? T.Zero : transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
            }
        }
    }

    /// <summary>A rows along k: each C element is a dot product of a row of A with a packed column, vector lanes then the tail.</summary>
    private static void RowsTimesColumns<T>(int rowStart, int rowEnd, int width, int firstColumn, int k, T alpha, T* a, nint lda, T* packed, T beta, T* c, nint ldc)
        where T : unmanaged, INumber<T>
    {
        T* b0 = packed, b1 = packed + k, b2 = packed + (2 * k), b3 = packed + (3 * k);
        int vectorEnd = k - (k % Vector<T>.Count);
        nint i = rowStart;
        for (; i + 2 <= rowEnd; i += 2)
        {
            T* r0 = a + (i * lda), r1 = r0 + lda;
            Vector<T> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector<T> a10 = default, a11 = default, a12 = default, a13 = default;
            for (int p = 0; p < vectorEnd; p += Vector<T>.Count)
            {
                Vector<T> x0 = Vector.Load(r0 + p), x1 = Vector.Load(r1 + p);
                Vector<T> y0 = Vector.Load(b0 + p), y1 = Vector.Load(b1 + p), y2 = Vector.Load(b2 + p), y3 = Vector.Load(b3 + p);
                a00 += x0 * y0;
                a01 += x0 * y1;
                a02 += x0 * y2;
                a03 += x0 * y3;
                a10 += x1 * y0;
                a11 += x1 * y1;
                a12 += x1 * y2;
                a13 += x1 * y3;
            }

            StoreDots(r0, a00, a01, a02, a03, vectorEnd, k, b0, b1, b2, b3, width, alpha, beta, c + (i * ldc) + firstColumn);
            StoreDots(r1, a10, a11, a12, a13, vectorEnd, k, b0, b1, b2, b3, width, alpha, beta, c + ((i + 1) * ldc) + firstColumn);
        }

        for (; i < rowEnd; i++)
        {
            T* r0 = a + (i * lda);
            Vector<T> a00 = default, a01 = default, a02 = default, a03 = default;
            for (int p = 0; p < vectorEnd; p += Vector<T>.Count)
            {
                Vector<T> x0 = Vector.Load(r0 + p);
                a00 += x0 * Vector.Load(b0 + p);
                a01 += x0 * Vector.Load(b1 + p);
                a02 += x0 * Vector.Load(b2 + p);
                a03 += x0 * Vector.Load(b3 + p);
            }

            StoreDots(r0, a00, a01, a02, a03, vectorEnd, k, b0, b1, b2, b3, width, alpha, beta, c + (i * ldc) + firstColumn);
        }
    }

    /// <summary>Finishes a row's four dot products (lane sums, then the tail of k) and writes the first <paramref name="width"/>.</summary>
    private static void StoreDots<T>(
        T* row, Vector<T> v0, Vector<T> v1, Vector<T> v2, Vector<T> v3, int vectorEnd, int k,
        T* b0, T* b1, T* b2, T* b3, int width, T alpha, T beta, T* c)
        where T : unmanaged, INumber<T>
    {
        T d0 = Vector.Sum(v0), d1 = Vector.Sum(v1), d2 = Vector.Sum(v2), d3 = Vector.Sum(v3);
        for (int p = vectorEnd; p < k; p++)
        {
            T x = row[p];
            d0 += x * b0[p];
            d1 += x * b1[p];
            d2 += x * b2[p];
            d3 += x * b3[p];
        }

        Write(c, d0, alpha, beta);
        if (width > 1)
        {
            Write(c + 1, d1, alpha, beta);
        }

        if (width > 2)
        {
            Write(c + 2, d2, alpha, beta);
        }

        if (width > 3)
        {
            Write(c + 3, d3, alpha, beta);
        }
    }

    /// <summary>
    /// A stored [k, m]: C[i, j] = Σp A[p, i]·B[p, j], summed over p in order into a tile of up to
    /// <see cref="ChunkRows"/> rows × 4 columns that stays in L1, while each row of A is read contiguously; the rows
    /// past the last whole vector get the same scalar sum.
    /// </summary>
    private static void ColumnsOfA<T>(int rowStart, int rowEnd, int width, int firstColumn, int columns, int k, T alpha, T* a, nint lda, T* packed, T beta, T* c, nint ldc)
        where T : unmanaged, INumber<T>
    {
        T* tile = stackalloc T[Group * ChunkRows];
        T* t0 = tile, t1 = tile + ChunkRows, t2 = tile + (2 * ChunkRows), t3 = tile + (3 * ChunkRows);
        for (int i0 = rowStart; i0 < rowEnd; i0 += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, rowEnd - i0);
            int vectorEnd = rows - (rows % Vector<T>.Count);
            new Span<T>(tile, Group * ChunkRows).Clear();
            for (nint p = 0; p < k; p++)
            {
                T* x = a + (p * lda) + i0;
                T* bRow = packed + (p * columns);
                T s0 = bRow[0], s1 = bRow[1], s2 = bRow[2], s3 = bRow[3];
                Vector<T> b0 = new(s0), b1 = new(s1), b2 = new(s2), b3 = new(s3);
                for (int r = 0; r < vectorEnd; r += Vector<T>.Count)
                {
                    Vector<T> xv = Vector.Load(x + r);
                    (Vector.Load(t0 + r) + (xv * b0)).Store(t0 + r);
                    (Vector.Load(t1 + r) + (xv * b1)).Store(t1 + r);
                    (Vector.Load(t2 + r) + (xv * b2)).Store(t2 + r);
                    (Vector.Load(t3 + r) + (xv * b3)).Store(t3 + r);
                }

                for (int r = vectorEnd; r < rows; r++)
                {
                    T xr = x[r];
                    t0[r] += xr * s0;
                    t1[r] += xr * s1;
                    t2[r] += xr * s2;
                    t3[r] += xr * s3;
                }
            }

            for (int r = 0; r < rows; r++)
            {
                T* cRow = c + ((i0 + r) * ldc) + firstColumn;
                Write(cRow, t0[r], alpha, beta);
                if (width > 1)
                {
                    Write(cRow + 1, t1[r], alpha, beta);
                }

                if (width > 2)
                {
                    Write(cRow + 2, t2[r], alpha, beta);
                }

                if (width > 3)
                {
                    Write(cRow + 3, t3[r], alpha, beta);
                }
            }
        }
    }

    private static void Write<T>(T* c, T dot, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        *c = beta == T.Zero ? alpha * dot : (alpha * dot) + (beta * *c);
    }
}
