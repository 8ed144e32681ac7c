using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graph.Runtime.Kernels;

/// <summary>
/// AVX2 + FMA3 micro-kernel: a 6 × (2 × 256-bit) tile of C, i.e. 6 × 16 floats or 6 × 8 doubles. With only 16 ymm
/// registers, 12 accumulators plus two B vectors and one broadcast is the largest tile that does not spill.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
internal readonly struct Avx2Kernel<T> : IGemmKernel<T>
    where T : unmanaged, INumber<T>
{
    private const int Rows = 6;

    /// <inheritdoc/>
    public static int Mr => Rows;

    /// <inheritdoc/>
    public static int Nr => 2 * Vector256<T>.Count;

    /// <inheritdoc/>
    public static int Kc => 256;

    /// <inheritdoc/>
    public static int Mc => Unsafe.SizeOf<T>() == sizeof(float) ? 504 : 252;

    /// <inheritdoc/>
    public static int Nc => Unsafe.SizeOf<T>() == sizeof(float) ? 4096 : 2048;

    /// <inheritdoc/>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(nint kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        // Start pulling the C tile in now: it is read only after the k loop, and its rows are a stride apart in
        // memory (often out in L3), so without this the tile's misses stall the end of every call.
        for (nint r = 0; r < Rows; r++)
        {
            Sse.Prefetch0(c + (r * ldc));
            Sse.Prefetch0(c + (r * ldc) + Nr - 1);
        }

        Vector256<T> c00 = Vector256<T>.Zero, c01 = Vector256<T>.Zero;
        Vector256<T> c10 = Vector256<T>.Zero, c11 = Vector256<T>.Zero;
        Vector256<T> c20 = Vector256<T>.Zero, c21 = Vector256<T>.Zero;
        Vector256<T> c30 = Vector256<T>.Zero, c31 = Vector256<T>.Zero;
        Vector256<T> c40 = Vector256<T>.Zero, c41 = Vector256<T>.Zero;
        Vector256<T> c50 = Vector256<T>.Zero, c51 = Vector256<T>.Zero;

        // One k step: two vectors of the B row, each A value broadcast against both.
        // The loop is unrolled by two so the pointer bumps and the branch cost half as much per FMA.
        for (; kc >= 2; kc -= 2)
        {
            Vector256<T> b0 = Vector256.Load(b);
            Vector256<T> b1 = Vector256.Load(b + Vector256<T>.Count);
            Vector256<T> a0 = Vector256.Create(a[0]);
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            Vector256<T> a1 = Vector256.Create(a[1]);
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            Vector256<T> a2 = Vector256.Create(a[2]);
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            Vector256<T> a3 = Vector256.Create(a[3]);
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
            Vector256<T> a4 = Vector256.Create(a[4]);
            c40 = MultiplyAdd(a4, b0, c40);
            c41 = MultiplyAdd(a4, b1, c41);
            Vector256<T> a5 = Vector256.Create(a[5]);
            c50 = MultiplyAdd(a5, b0, c50);
            c51 = MultiplyAdd(a5, b1, c51);

            // Second k step: B and A advance by one step each.
            b0 = Vector256.Load(b + Nr);
            b1 = Vector256.Load(b + Nr + Vector256<T>.Count);
            a0 = Vector256.Create(a[6]);
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            a1 = Vector256.Create(a[7]);
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            a2 = Vector256.Create(a[8]);
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            a3 = Vector256.Create(a[9]);
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
            a4 = Vector256.Create(a[10]);
            c40 = MultiplyAdd(a4, b0, c40);
            c41 = MultiplyAdd(a4, b1, c41);
            a5 = Vector256.Create(a[11]);
            c50 = MultiplyAdd(a5, b0, c50);
            c51 = MultiplyAdd(a5, b1, c51);
            a += 2 * Rows;
            b += 2 * Nr;
        }

        if (kc != 0)
        {
            Vector256<T> b0 = Vector256.Load(b);
            Vector256<T> b1 = Vector256.Load(b + Vector256<T>.Count);
            Vector256<T> a0 = Vector256.Create(a[0]);
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            Vector256<T> a1 = Vector256.Create(a[1]);
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            Vector256<T> a2 = Vector256.Create(a[2]);
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            Vector256<T> a3 = Vector256.Create(a[3]);
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
            Vector256<T> a4 = Vector256.Create(a[4]);
            c40 = MultiplyAdd(a4, b0, c40);
            c41 = MultiplyAdd(a4, b1, c41);
            Vector256<T> a5 = Vector256.Create(a[5]);
            c50 = MultiplyAdd(a5, b0, c50);
            c51 = MultiplyAdd(a5, b1, c51);
        }

        Vector256<T> va = Vector256.Create(alpha);
        if (beta == T.Zero)
        {
            Overwrite(c + (0 * ldc), c00, c01, va);
            Overwrite(c + (1 * ldc), c10, c11, va);
            Overwrite(c + (2 * ldc), c20, c21, va);
            Overwrite(c + (3 * ldc), c30, c31, va);
            Overwrite(c + (4 * ldc), c40, c41, va);
            Overwrite(c + (5 * ldc), c50, c51, va);
        }
        else
        {
            Vector256<T> vb = Vector256.Create(beta);
            Accumulate(c + (0 * ldc), c00, c01, va, vb);
            Accumulate(c + (1 * ldc), c10, c11, va, vb);
            Accumulate(c + (2 * ldc), c20, c21, va, vb);
            Accumulate(c + (3 * ldc), c30, c31, va, vb);
            Accumulate(c + (4 * ldc), c40, c41, va, vb);
            Accumulate(c + (5 * ldc), c50, c51, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Overwrite(T* row, Vector256<T> x0, Vector256<T> x1, Vector256<T> alpha)
    {
        (x0 * alpha).Store(row);
        (x1 * alpha).Store(row + Vector256<T>.Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Accumulate(T* row, Vector256<T> x0, Vector256<T> x1, Vector256<T> alpha, Vector256<T> beta)
    {
        MultiplyAdd(beta, Vector256.Load(row), x0 * alpha).Store(row);
        MultiplyAdd(beta, Vector256.Load(row + Vector256<T>.Count), x1 * alpha).Store(row + Vector256<T>.Count);
    }

    /// <summary>x · y + acc with one rounding; the type test folds away when the JIT specializes T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (typeof(T) == typeof(float))
        {
            return Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }

        return Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }
}
