using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Moves a block of samples between the tensor layout [samples, C, L] (a group's channels of each sample, samples
/// <c>sampleStride</c> elements apart) and the matrix layout [channels, samples·L] a convolution's one product per
/// block reads or writes. Runs on the session's threads; every (sample, channel) run is one copy, so the parts
/// may be cut anywhere.
/// </summary>
internal static unsafe class ChannelMajor
{
    // The elements one part copies at least (128 KB of float32): claiming a part and waking a worker cost little next to
    // its copies, and a loop smaller than one part runs on the calling thread alone.
    private const int PartElements = 32768;

    /// <summary>[samples, channels, L] at <paramref name="tensor"/> → <paramref name="matrix"/> [channels, samples·L].</summary>
    public static void Pack<T>(WorkerTeam team, ReadOnlySpan<T> tensor, long sampleStride, int channels, int samples, int l, Span<T> matrix)
        where T : unmanaged
    {
        fixed (T* pt = tensor, pm = matrix)
        {
            Copy(team, pt, pm, sampleStride, channels, samples, l, toMatrix: true);
        }
    }

    /// <summary><paramref name="matrix"/> [channels, samples·L] → [samples, channels, L] at <paramref name="tensor"/>.</summary>
    public static void Unpack<T>(WorkerTeam team, ReadOnlySpan<T> matrix, int channels, int samples, int l, Span<T> tensor, long sampleStride)
        where T : unmanaged
    {
        Unpack(team, matrix, channels, samples, l, tensor, sampleStride, default(NoEpilogue<T>), 0);
    }

    /// <summary>
    /// <paramref name="matrix"/> [channels, samples·L] → [samples, channels, L] at <paramref name="tensor"/>, applying
    /// <paramref name="epilogue"/> to each run as it lands (channel <paramref name="firstChannel"/> + c for matrix row c).
    /// </summary>
    public static void Unpack<T, TEpilogue>(WorkerTeam team, ReadOnlySpan<T> matrix, int channels, int samples, int l, Span<T> tensor, long sampleStride, TEpilogue epilogue, int firstChannel)
        where T : unmanaged
        where TEpilogue : struct, IChannelEpilogue<T>
    {
        fixed (T* pt = tensor, pm = matrix)
        {
            Copy(team, pt, pm, sampleStride, channels, samples, l, toMatrix: false, epilogue, firstChannel);
        }
    }

    private static void Copy<T>(WorkerTeam team, T* tensor, T* matrix, long sampleStride, int channels, int samples, int l, bool toMatrix)
        where T : unmanaged
    {
        Copy(team, tensor, matrix, sampleStride, channels, samples, l, toMatrix, default(NoEpilogue<T>), 0);
    }

    private static void Copy<T, TEpilogue>(WorkerTeam team, T* tensor, T* matrix, long sampleStride, int channels, int samples, int l, bool toMatrix, TEpilogue epilogue, int firstChannel)
        where T : unmanaged
        where TEpilogue : struct, IChannelEpilogue<T>
    {
        int runsPerPart = Math.Max(1, PartElements / l);
        int parts = ((channels * samples) + runsPerPart - 1) / runsPerPart;
        team.For(parts, new CopyBody<T, TEpilogue>(tensor, matrix, sampleStride, channels, samples, l, toMatrix, runsPerPart, epilogue, firstChannel));
    }

    /// <summary>Runs [part·runsPerPart, …), run r being channel r mod channels of sample r / channels.</summary>
    private readonly struct CopyBody<T, TEpilogue>(
        T* tensor, T* matrix, long sampleStride, int channels, int samples, int l, bool toMatrix, int runsPerPart, TEpilogue epilogue, int firstChannel) : IParallelBody
        where T : unmanaged
        where TEpilogue : struct, IChannelEpilogue<T>
    {
        public void Run(int part, int worker)
        {
            long ld = (long)samples * l;
            int end = Math.Min(channels * samples, (part + 1) * runsPerPart);
            for (int run = part * runsPerPart; run < end; run++)
            {
                (int sample, int c) = Math.DivRem(run, channels);
                var t = new Span<T>(tensor + (sample * sampleStride) + ((long)c * l), l);
                var m = new Span<T>(matrix + (c * ld) + ((long)sample * l), l);
                if (toMatrix)
                {
                    t.CopyTo(m);
                }
                else
                {
                    m.CopyTo(t);
                    if (!epilogue.IsEmpty)
                    {
                        epilogue.Apply(firstChannel + c, t);
                    }
                }
            }
        }
    }
}
