using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Portable micro-kernel: a 4 × 4 tile of C in scalar registers. It runs wherever .NET runs; 16 accumulators
/// still give the out-of-order core independent chains, and the same packing and blocking keep it cache-friendly.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
internal readonly struct ScalarKernel<T> : IGemmKernel<T>
    where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public static int Mr => 4;

    /// <inheritdoc/>
    public static int Nr => 4;

    /// <inheritdoc/>
    public static int Kc => 256;

    /// <inheritdoc/>
    public static int Mc => 128;

    /// <inheritdoc/>
    public static int Nc => 2048;

    /// <inheritdoc/>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(nint kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        T c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        T c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;

        for (; kc > 0; kc--)
        {
            T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            T a0 = a[0];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            T a1 = a[1];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            T a2 = a[2];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            T a3 = a[3];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            a += 4;
            b += 4;
        }

        if (beta == T.Zero)
        {
            Overwrite(c + (0 * ldc), c00, c01, c02, c03, alpha);
            Overwrite(c + (1 * ldc), c10, c11, c12, c13, alpha);
            Overwrite(c + (2 * ldc), c20, c21, c22, c23, alpha);
            Overwrite(c + (3 * ldc), c30, c31, c32, c33, alpha);
        }
        else
        {
            Accumulate(c + (0 * ldc), c00, c01, c02, c03, alpha, beta);
            Accumulate(c + (1 * ldc), c10, c11, c12, c13, alpha, beta);
            Accumulate(c + (2 * ldc), c20, c21, c22, c23, alpha, beta);
            Accumulate(c + (3 * ldc), c30, c31, c32, c33, alpha, beta);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Overwrite(T* row, T x0, T x1, T x2, T x3, T alpha)
    {
        row[0] = alpha * x0;
        row[1] = alpha * x1;
        row[2] = alpha * x2;
        row[3] = alpha * x3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Accumulate(T* row, T x0, T x1, T x2, T x3, T alpha, T beta)
    {
        row[0] = (alpha * x0) + (beta * row[0]);
        row[1] = (alpha * x1) + (beta * row[1]);
        row[2] = (alpha * x2) + (beta * row[2]);
        row[3] = (alpha * x3) + (beta * row[3]);
    }
}
