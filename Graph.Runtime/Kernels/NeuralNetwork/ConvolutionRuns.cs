using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The runs im2col and col2im move: a row of the column matrix is, per output row, one run of input elements at the
/// convolution's stride. Late layers have runs of a few elements, so short runs are plain loops (a call per two
/// elements would cost more than the copy), and float32 runs at stride 2 (the downsampling convolutions and the
/// stem) are vectorized.
/// </summary>
internal static unsafe class ConvolutionRuns
{
    // Below this many elements a loop beats a call into memmove or TensorPrimitives.
    private const int ShortRun = 8;

    /// <summary>Zeroes <paramref name="count"/> elements at <paramref name="destination"/>.</summary>
    public static void Clear<T>(T* destination, int count)
        where T : unmanaged, INumber<T>
    {
        if (count >= ShortRun)
        {
            new Span<T>(destination, count).Clear();
            return;
        }

        for (int i = 0; i < count; i++)
        {
            destination[i] = T.Zero;
        }
    }

    /// <summary><c>destination[i] = source[i·stride]</c> for i in [0, count).</summary>
    public static void Gather<T>(T* source, int stride, T* destination, int count)
        where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (stride == 1 && count >= ShortRun)
        {
            new ReadOnlySpan<T>(source, count).CopyTo(new Span<T>(destination, count));
            return;
        }

        if (stride == 2 && typeof(T) == typeof(float))
        {
            i = GatherEvenFloats((float*)source, (float*)destination, count);
        }

        for (; i < count; i++)
        {
            destination[i] = source[i * stride];
        }
    }

    /// <summary><c>destination[i·stride] += source[i]</c> for i in [0, count).</summary>
    public static void ScatterAdd<T>(T* source, T* destination, int stride, int count)
        where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (stride == 1 && count >= ShortRun)
        {
            var run = new Span<T>(destination, count);
            TensorPrimitives.Add(run, new ReadOnlySpan<T>(source, count), run);
            return;
        }

        if (stride == 2 && typeof(T) == typeof(float))
        {
            i = ScatterAddEvenFloats((float*)source, (float*)destination, count);
        }

        for (; i < count; i++)
        {
            destination[i * stride] += source[i];
        }
    }

    /// <summary>
    /// The vector part of a stride-2 gather: a pair of floats read as one 64-bit lane narrows to its low half, the
    /// even element. Stops while the vectors would read past the last element needed; returns how many it wrote.
    /// </summary>
    private static int GatherEvenFloats(float* source, float* destination, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count < count; i += Vector512<float>.Count)
            {
                Vector512<ulong> low = Vector512.Load((ulong*)(source + (2 * i)));
                Vector512<ulong> high = Vector512.Load((ulong*)(source + (2 * i) + Vector512<float>.Count));
                Vector512.Narrow(low, high).AsSingle().Store(destination + i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count < count; i += Vector256<float>.Count)
            {
                Vector256<ulong> low = Vector256.Load((ulong*)(source + (2 * i)));
                Vector256<ulong> high = Vector256.Load((ulong*)(source + (2 * i) + Vector256<float>.Count));
                Vector256.Narrow(low, high).AsSingle().Store(destination + i);
            }
        }

        return i;
    }

    /// <summary>
    /// The vector part of a stride-2 scatter-add: each float widened to a 64-bit lane is the pair (value, +0), added
    /// to an even and an odd element; the odd one is unchanged (but for −0, which becomes +0, the same on every run).
    /// Stops while the vectors would touch past the last element written; returns how many it added.
    /// </summary>
    private static int ScatterAddEvenFloats(float* source, float* destination, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count < count; i += Vector512<float>.Count)
            {
                (Vector512<ulong> low, Vector512<ulong> high) = Vector512.Widen(Vector512.Load((uint*)(source + i)));
                float* d = destination + (2 * i);
                (Vector512.Load(d) + low.AsSingle()).Store(d);
                (Vector512.Load(d + Vector512<float>.Count) + high.AsSingle()).Store(d + Vector512<float>.Count);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count < count; i += Vector256<float>.Count)
            {
                (Vector256<ulong> low, Vector256<ulong> high) = Vector256.Widen(Vector256.Load((uint*)(source + i)));
                float* d = destination + (2 * i);
                (Vector256.Load(d) + low.AsSingle()).Store(d);
                (Vector256.Load(d + Vector256<float>.Count) + high.AsSingle()).Store(d + Vector256<float>.Count);
            }
        }

        return i;
    }
}
