using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous micro-panel order the micro-kernel reads, so the kernel
/// streams both operands with unit stride whatever the transposes and leading dimensions were. Partial panels at
/// the right and bottom edges are padded with zeros, which add nothing to the products.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs the <paramref name="mc"/> × <paramref name="kc"/> block of op(A) that starts at <paramref name="a"/> into
    /// panels of Mr rows: panel q starts at <c>dst + q·Mr·kc</c> and holds, for each k step, its Mr values of that column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T, TKernel>(bool transA, T* a, nint lda, int mc, int kc, T* dst)
        where T : unmanaged, INumber<T>
        where TKernel : struct, IGemmKernel<T>
    {
        nint mr = TKernel.Mr;
        for (int i0 = 0; i0 < mc; i0 += TKernel.Mr)
        {
            int rows = Math.Min(TKernel.Mr, mc - i0);
            if (transA)
            {
                // A is stored k × m: the Mr values of one k step are adjacent in memory.
                T* src = a + i0;
                for (nint p = 0; p < kc; p++)
                {
                    CopyPadded(src + (p * lda), dst + (p * mr), rows, TKernel.Mr);
                }
            }
            else
            {
                // A is stored m × k: each row is contiguous in k.
                Gather(a + (i0 * lda), lda, dst, kc, rows, TKernel.Mr);
            }

            dst += mr * kc;
        }
    }

    /// <summary>
    /// Packs the <paramref name="kc"/> × <paramref name="nc"/> block of op(B) that starts at <paramref name="b"/> into
    /// panels of Nr columns: panel q starts at <c>dst + q·Nr·kc</c> and holds, for each k step, its Nr values of that row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T, TKernel>(bool transB, T* b, nint ldb, int kc, int nc, T* dst)
        where T : unmanaged, INumber<T>
        where TKernel : struct, IGemmKernel<T>
    {
        nint nr = TKernel.Nr;
        for (int j0 = 0; j0 < nc; j0 += TKernel.Nr)
        {
            int cols = Math.Min(TKernel.Nr, nc - j0);
            if (!transB)
            {
                // B is stored k × n: the Nr values of one k step are adjacent in memory.
                T* src = b + j0;
                if (cols == TKernel.Nr)
                {
                    // A constant-size copy, which the JIT unrolls into a few vector moves.
                    for (nint p = 0; p < kc; p++)
                    {
                        Unsafe.CopyBlockUnaligned(dst + (p * nr), src + (p * ldb), (uint)(TKernel.Nr * sizeof(T)));
                    }
                }
                else
                {
                    for (nint p = 0; p < kc; p++)
                    {
                        CopyPadded(src + (p * ldb), dst + (p * nr), cols, TKernel.Nr);
                    }
                }
            }
            else
            {
                // B is stored n × k: each stored row is one column of op(B), contiguous in k.
                Gather(b + (j0 * ldb), ldb, dst, kc, cols, TKernel.Nr);
            }

            dst += nr * kc;
        }
    }

    private static void CopyPadded<T>(T* src, T* dst, int count, int width)
        where T : unmanaged, INumber<T>
    {
        int i = 0;
        for (; i < count; i++)
        {
            dst[i] = src[i];
        }

        for (; i < width; i++)
        {
            dst[i] = T.Zero;
        }
    }

    /// <summary>
    /// Packs <paramref name="count"/> stored rows, each contiguous in k, as the lanes of a panel <paramref name="width"/>
    /// wide: step p holds element p of every row, then zeros up to the width.
    /// </summary>
    private static void Gather<T>(T* src, nint ld, T* panel, int kc, int count, int width)
        where T : unmanaged, INumber<T>
    {
        // Step by step, so the panel is written once, in order, while the rows stream in side by side; writing it
        // a row at a time instead strides the stores a panel step apart and costs several times more.
        for (nint p = 0; p < kc; p++)
        {
            T* step = panel + (p * width);
            T* column = src + p;
            int i = 0;
            for (; i < count; i++)
            {
                step[i] = column[i * ld];
            }

            for (; i < width; i++)
            {
                step[i] = T.Zero;
            }
        }
    }
}
