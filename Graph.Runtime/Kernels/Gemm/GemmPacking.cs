using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous micro-panel order the micro-kernel reads, so the kernel
/// streams both operands with unit stride whatever the transposes and leading dimensions were. Partial panels at
/// the right and bottom edges are padded with zeros, which add nothing to the products.
/// </summary>
internal static unsafe class GemmPacking
{
    // K steps of a transposed B panel packed per sweep over its columns: 128 steps of 32 floats are 16 KB, and each
    // column's run of 512 bytes is long enough for the prefetcher when B comes from memory.
    private const int TransposedPackSteps = 128;

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
                // A is stored k × m: the Mr values of one k step are adjacent in memory; a full panel's are one
                // constant-size copy, which the JIT unrolls into a vector move.
                T* src = a + i0;
                if (rows == TKernel.Mr)
                {
                    for (nint p = 0; p < kc; p++)
                    {
                        Unsafe.CopyBlockUnaligned(dst + (p * mr), src + (p * lda), (uint)(TKernel.Mr * sizeof(T)));
                    }
                }
                else
                {
                    for (nint p = 0; p < kc; p++)
                    {
                        CopyPadded(src + (p * lda), dst + (p * mr), rows, TKernel.Mr);
                    }
                }
            }
            else
            {
                // A is stored m × k: each row is contiguous in k. A full panel of eight (AVX-512) or six (AVX2) float
                // rows is transposed eight k steps at a time in registers; the rest (and the k steps left over) walk a
                // row and scatter it down the panel, one element per cache line written.
                nint done = 0;
                if (typeof(T) == typeof(float) && rows == TKernel.Mr && Avx.IsSupported)
                {
                    done = TKernel.Mr switch
                    {
                        8 => TransposeEightFloatRows((float*)(a + (i0 * lda)), lda, kc, (float*)dst, mr),
                        6 => TransposeSixFloatRows((float*)(a + (i0 * lda)), lda, kc, (float*)dst),
                        _ => 0,
                    };
                }

                for (nint r = 0; r < rows; r++)
                {
                    T* src = a + ((i0 + r) * lda);
                    T* column = dst + r;
                    for (nint p = done; p < kc; p++)
                    {
                        column[p * mr] = src[p];
                    }
                }

                ZeroTail(dst, kc, rows, TKernel.Mr);
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
                // B is stored n × k: each stored row is one column of op(B), contiguous in k. Full groups of eight
                // float columns are transposed eight k steps at a time in registers, as A's rows are; what is left
                // (other types, partial panels, the last k steps) is scattered, a run of steps at a time for all
                // columns, keeping the lines being filled in L1 (a whole deep panel is larger than L1).
                nint done = 0;
                if (typeof(T) == typeof(float) && cols == TKernel.Nr && TKernel.Nr % 8 == 0 && Avx.IsSupported)
                {
                    for (nint group = 0; group < cols; group += 8)
                    {
                        done = TransposeEightFloatRows((float*)(b + ((j0 + group) * ldb)), ldb, kc, (float*)(dst + group), nr);
                    }
                }

                for (nint p0 = done; p0 < kc; p0 += TransposedPackSteps)
                {
                    nint steps = Math.Min(TransposedPackSteps, kc - p0);
                    for (nint col = 0; col < cols; col++)
                    {
                        T* src = b + ((j0 + col) * ldb) + p0;
                        T* column = dst + (p0 * nr) + col;
                        for (nint p = 0; p < steps; p++)
                        {
                            column[p * nr] = src[p];
                        }
                    }
                }

                ZeroTail(dst, kc, cols, TKernel.Nr);
            }

            dst += nr * kc;
        }
    }

    /// <summary>
    /// Writes k steps [0, kc rounded down to 8) of eight float rows (row stride <paramref name="lda"/>) as eight
    /// adjacent values per step, step p at <c>dst + p·<paramref name="step"/></c>: each 8 × 8 block is loaded as eight
    /// rows and stored as eight columns after an in-register transpose (unpack, shuffle, lane permute). A's panels
    /// take it with a step of Mr = 8, a transposed B's panels once per group of eight columns with a step of Nr.
    /// Returns how many k steps it wrote.
    /// </summary>
    private static nint TransposeEightFloatRows(float* a, nint lda, int kc, float* dst, nint step)
    {
        nint p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            float* src = a + p;
            Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lda);
            Vector256<float> r2 = Avx.LoadVector256(src + (2 * lda)), r3 = Avx.LoadVector256(src + (3 * lda));
            Vector256<float> r4 = Avx.LoadVector256(src + (4 * lda)), r5 = Avx.LoadVector256(src + (5 * lda));
            Vector256<float> r6 = Avx.LoadVector256(src + (6 * lda)), r7 = Avx.LoadVector256(src + (7 * lda));

            // Pairs of rows interleaved: (r0[0], r1[0], r0[1], r1[1] | r0[4], r1[4], r0[5], r1[5]) and so on.
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

            // Four rows of one step in each 128-bit lane: step j in the low lane, step j + 4 in the high one.
            Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
            Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);

            float* d = dst + (p * step);
            Avx.Store(d, Avx.Permute2x128(s0, s4, 0x20));
            Avx.Store(d + step, Avx.Permute2x128(s1, s5, 0x20));
            Avx.Store(d + (2 * step), Avx.Permute2x128(s2, s6, 0x20));
            Avx.Store(d + (3 * step), Avx.Permute2x128(s3, s7, 0x20));
            Avx.Store(d + (4 * step), Avx.Permute2x128(s0, s4, 0x31));
            Avx.Store(d + (5 * step), Avx.Permute2x128(s1, s5, 0x31));
            Avx.Store(d + (6 * step), Avx.Permute2x128(s2, s6, 0x31));
            Avx.Store(d + (7 * step), Avx.Permute2x128(s3, s7, 0x31));
        }

        return p;
    }

    /// <summary>
    /// <see cref="TransposeEightFloatRows"/> for a panel of six rows (AVX2's Mr): the 8 × 8 transpose with two zero
    /// rows, each column of six values stored as a full vector whose last two lanes the next column's store overwrites.
    /// The block's last column is stored as four values and two, so nothing is written past the panel's k steps.
    /// Returns how many k steps it wrote.
    /// </summary>
    private static nint TransposeSixFloatRows(float* a, nint lda, int kc, float* dst)
    {
        const int Step = 6;
        nint p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            float* src = a + p;
            Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lda);
            Vector256<float> r2 = Avx.LoadVector256(src + (2 * lda)), r3 = Avx.LoadVector256(src + (3 * lda));
            Vector256<float> r4 = Avx.LoadVector256(src + (4 * lda)), r5 = Avx.LoadVector256(src + (5 * lda));

            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);

            Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);

            // Rows four and five of a step are the low two lanes of t4 / t5's 64-bit pairs.
            Vector256<float> s4 = Avx.Shuffle(t4, t4, 0x44), s5 = Avx.Shuffle(t4, t4, 0xEE);
            Vector256<float> s6 = Avx.Shuffle(t5, t5, 0x44), s7 = Avx.Shuffle(t5, t5, 0xEE);

            float* d = dst + (p * Step);
            Avx.Store(d, Avx.Permute2x128(s0, s4, 0x20));
            Avx.Store(d + Step, Avx.Permute2x128(s1, s5, 0x20));
            Avx.Store(d + (2 * Step), Avx.Permute2x128(s2, s6, 0x20));
            Avx.Store(d + (3 * Step), Avx.Permute2x128(s3, s7, 0x20));
            Avx.Store(d + (4 * Step), Avx.Permute2x128(s0, s4, 0x31));
            Avx.Store(d + (5 * Step), Avx.Permute2x128(s1, s5, 0x31));
            Avx.Store(d + (6 * Step), Avx.Permute2x128(s2, s6, 0x31));
            Vector256<float> last = Avx.Permute2x128(s3, s7, 0x31);
            Sse.Store(d + (7 * Step), last.GetLower());
            Sse.StoreLow(d + (7 * Step) + 4, last.GetUpper());
        }

        return p;
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

    /// <summary>Zeros lanes <paramref name="used"/>..<paramref name="width"/> of every k step of a panel.</summary>
    private static void ZeroTail<T>(T* panel, int kc, int used, int width)
        where T : unmanaged, INumber<T>
    {
        if (used == width)
        {
            return;
        }

        for (nint p = 0; p < kc; p++)
        {
            T* step = panel + (p * width);
            for (int i = used; i < width; i++)
            {
                step[i] = T.Zero;
            }
        }
    }
}
