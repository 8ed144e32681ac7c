using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Copies and clears of the short float runs the implicit column packers move (a panel row is 16 or 32 floats): whole
/// 256-bit vectors and one masked vector for the tail, inlined, where a call into memmove costs more than the copy.
/// The masked loads and stores touch no element outside the run, so a run may end at the last element of a buffer.
/// </summary>
internal static unsafe class FloatRuns
{
    /// <summary>Whether the vector moves run in hardware (AVX); callers keep their generic path otherwise.</summary>
    public static bool IsAccelerated => Avx.IsSupported;

    /// <summary>Zeroes <paramref name="count"/> floats at <paramref name="destination"/>, a multiple of 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(float* destination, int count)
    {
        for (int i = 0; i < count; i += Vector256<float>.Count)
        {
            Vector256<float>.Zero.Store(destination + i);
        }
    }

    /// <summary>Copies <paramref name="count"/> floats from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* source, float* destination, int count)
    {
        int i = 0;
        for (; i + Vector256<float>.Count <= count; i += Vector256<float>.Count)
        {
            Vector256.Load(source + i).Store(destination + i);
        }

        int tail = count - i;
        if (tail > 0)
        {
            // The first `tail` lanes, computed: a constant table read through a span would call RuntimeHelpers.CreateSpan
            // in unoptimized (Debug) code, which allocates on every call.
            Vector256<float> mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(tail)).AsSingle();
            Avx.MaskStore(destination + i, mask, Avx.MaskLoad(source + i, mask));
        }
    }
}
