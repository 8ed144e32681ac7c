using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Matrix-vector shapes (m == 1 or n == 1, e.g. batch 1 or a single output) run directly on the caller's data:
/// they read each element of the matrix once, so packing would only add a copy. Two forms cover the layouts:
/// a row-combination ("axpy") form when the matrix rows run along the output, and a dot-product form when they run
/// along k. A layout that fits neither (a strided vector where unit stride is needed) goes to the blocked path.
/// </summary>
internal static unsafe class GemmSkinny
{
    /// <summary>Width of the output chunk the axpy form keeps in L1 while it sweeps k.</summary>
    private const int AxpyChunk = 2048;

    /// <summary>Runs the product if it is a matrix-vector shape with a usable layout; false leaves C untouched.</summary>
    public static bool TryRun<T>(
        bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, bool vectorize)
        where T : unmanaged, INumber<T>
    {
        if (m == 1)
        {
            // op(A) is one row: element p is a[p · strideA].
            nint strideA = transA ? lda : 1;
            if (!transB)
            {
                // c = Σp a_p · B[p, :], rows of B contiguous along n.
                AxpyForm(k, n, alpha, a, strideA, b, ldb, beta, c, vectorize);
                return true;
            }

            if (strideA == 1 || k == 1)
            {
                // c_j = a · B[j, :], rows of the stored B contiguous along k.
                DotForm(n, k, alpha, b, ldb, a, beta, c, 1, vectorize);
                return true;
            }
        }

        if (n == 1)
        {
            // op(B) is one column: element p is b[p · strideB].
            nint strideB = transB ? 1 : ldb;
            if (!transA && (strideB == 1 || k == 1))
            {
                // c_i = A[i, :] · b, rows of A contiguous along k.
                DotForm(m, k, alpha, a, lda, b, beta, c, ldc, vectorize);
                return true;
            }

            if (transA && (ldc == 1 || m == 1))
            {
                // c = Σp b_p · A[p, :] with A stored k × m; needs the output column contiguous.
                AxpyForm(k, m, alpha, b, strideB, a, lda, beta, c, vectorize);
                return true;
            }
        }

        return false;
    }

    /// <summary>y[0..length) = alpha · Σp x[p · incx] · rows[p · ldr + 0..length) + beta · y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyForm<T>(int k, int length, T alpha, T* x, nint incx, T* rows, nint ldr, T beta, T* y, bool vectorize)
        where T : unmanaged, INumber<T>
    {
        for (int j0 = 0; j0 < length; j0 += AxpyChunk)
        {
            int width = Math.Min(AxpyChunk, length - j0);
            T* chunk = y + j0;
            GemmScaling.ScaleRow(chunk, width, beta);

            // Four rows per sweep: one load and store of y serves four multiply-adds.
            nint p = 0;
            for (; p + 4 <= k; p += 4)
            {
                T* r0 = rows + (p * ldr) + j0;
                Axpy4(
                    chunk, width,
                    alpha * x[p * incx], r0,
                    alpha * x[(p + 1) * incx], r0 + ldr,
                    alpha * x[(p + 2) * incx], r0 + (2 * ldr),
                    alpha * x[(p + 3) * incx], r0 + (3 * ldr),
                    vectorize);
            }

            for (; p < k; p++)
            {
                Axpy1(chunk, width, alpha * x[p * incx], rows + (p * ldr) + j0, vectorize);
            }
        }
    }

    private static void Axpy4<T>(T* y, int length, T s0, T* r0, T s1, T* r1, T s2, T* r2, T s3, T* r3, bool vectorize)
        where T : unmanaged, INumber<T>
    {
        int j = 0;
        if (vectorize && Vector.IsHardwareAccelerated)
        {
            Vector<T> v0 = new(s0), v1 = new(s1), v2 = new(s2), v3 = new(s3);
            for (; j <= length - Vector<T>.Count; j += Vector<T>.Count)
            {
                Vector<T> sum = Vector.Load(y + j)
                    + (v0 * Vector.Load(r0 + j)) + (v1 * Vector.Load(r1 + j))
                    + (v2 * Vector.Load(r2 + j)) + (v3 * Vector.Load(r3 + j));
                sum.Store(y + j);
            }
        }

        for (; j < length; j++)
        {
            y[j] += (s0 * r0[j]) + (s1 * r1[j]) + (s2 * r2[j]) + (s3 * r3[j]);
        }
    }

    private static void Axpy1<T>(T* y, int length, T s, T* r, bool vectorize)
        where T : unmanaged, INumber<T>
    {
        int j = 0;
        if (vectorize && Vector.IsHardwareAccelerated)
        {
            Vector<T> v = new(s);
            for (; j <= length - Vector<T>.Count; j += Vector<T>.Count)
            {
                (Vector.Load(y + j) + (v * Vector.Load(r + j))).Store(y + j);
            }
        }

        for (; j < length; j++)
        {
            y[j] += s * r[j];
        }
    }

    /// <summary>y[i · incy] = alpha · (rows[i · ldr + 0..k) · x[0..k)) + beta · y[i · incy] for i in [0, count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotForm<T>(int count, int k, T alpha, T* rows, nint ldr, T* x, T beta, T* y, nint incy, bool vectorize)
        where T : unmanaged, INumber<T>
    {
        // Four rows per pass: each load of x serves four dot products.
        nint i = 0;
        for (; i + 4 <= count; i += 4)
        {
            T* r0 = rows + (i * ldr);
            Dot4(r0, r0 + ldr, r0 + (2 * ldr), r0 + (3 * ldr), x, k, vectorize, out T d0, out T d1, out T d2, out T d3);
            Write(y + (i * incy), d0, alpha, beta);
            Write(y + ((i + 1) * incy), d1, alpha, beta);
            Write(y + ((i + 2) * incy), d2, alpha, beta);
            Write(y + ((i + 3) * incy), d3, alpha, beta);
        }

        for (; i < count; i++)
        {
            T* r = rows + (i * ldr);
            Dot4(r, r, r, r, x, k, vectorize, out T d, out _, out _, out _);
            Write(y + (i * incy), d, alpha, beta);
        }
    }

    private static void Write<T>(T* y, T dot, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        *y = beta == T.Zero ? alpha * dot : (alpha * dot) + (beta * *y);
    }

    private static void Dot4<T>(T* r0, T* r1, T* r2, T* r3, T* x, int k, bool vectorize, out T d0, out T d1, out T d2, out T d3)
        where T : unmanaged, INumber<T>
    {
        d0 = d1 = d2 = d3 = T.Zero;
        int p = 0;
        if (vectorize && Vector.IsHardwareAccelerated)
        {
            Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero, acc2 = Vector<T>.Zero, acc3 = Vector<T>.Zero;
            for (; p <= k - Vector<T>.Count; p += Vector<T>.Count)
            {
                Vector<T> xv = Vector.Load(x + p);
                acc0 += Vector.Load(r0 + p) * xv;
                acc1 += Vector.Load(r1 + p) * xv;
                acc2 += Vector.Load(r2 + p) * xv;
                acc3 += Vector.Load(r3 + p) * xv;
            }

            d0 = Vector.Sum(acc0);
            d1 = Vector.Sum(acc1);
            d2 = Vector.Sum(acc2);
            d3 = Vector.Sum(acc3);
        }

        for (; p < k; p++)
        {
            T xp = x[p];
            d0 += r0[p] * xp;
            d1 += r1[p] * xp;
            d2 += r2[p] * xp;
            d3 += r3[p] * xp;
        }
    }
}
