using System.Numerics;
using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The column matrix of a block of samples and its adjoint. For one group, row (c, i, j) of the [K, samples·L]
/// matrix holds, at column s·L + (oh·oW + ow), the input element x[s, c, oh·stride − padding + i·dilation,
/// ow·stride − padding + j·dilation], 0 where that falls in the padding: each sample's columns side by side, so
/// that one matrix product covers the whole block. Both directions run on the session's threads in parts fixed by
/// the geometry alone, so the result does not depend on the thread count.
/// </summary>
internal static unsafe class Im2Col
{
    // The elements one part moves at least (128 KB of float32): claiming a part and waking a worker cost little next to
    // its copies, and a loop smaller than one part runs on the calling thread alone.
    private const int PartElements = 32768;

    /// <summary>
    /// Fills <paramref name="columns"/> [K, samples·L] from <paramref name="x"/>, which starts at the first sample's
    /// group (consecutive samples are C·H·W apart).
    /// </summary>
    public static void Gather<T>(WorkerTeam team, Conv2dGeometry g, ReadOnlySpan<T> x, int samples, Span<T> columns)
        where T : unmanaged, INumber<T>
    {
        // One job is one row of one sample: rows are independent, so any cut is deterministic.
        int jobs = samples * g.K;
        int jobsPerPart = Math.Max(1, PartElements / g.L);
        fixed (T* px = x, pc = columns)
        {
            team.For((jobs + jobsPerPart - 1) / jobsPerPart, new GatherBody<T>(g, px, pc, samples, jobs, jobsPerPart));
        }
    }

    /// <summary>
    /// Writes into <paramref name="x"/> (laid out as in <see cref="Gather"/>) the sum of the elements of
    /// <paramref name="columns"/> [K, samples·L] that <see cref="Gather"/> would read from each place: the adjoint,
    /// col2im. Every input plane of the block is overwritten.
    /// </summary>
    public static void Scatter<T>(WorkerTeam team, Conv2dGeometry g, ReadOnlySpan<T> columns, int samples, Span<T> x)
        where T : unmanaged, INumber<T>
    {
        // One job is one input plane of one sample: the kernel positions of a channel all add into that plane, so a
        // plane belongs to one part, and its additions run in a fixed order.
        int jobs = samples * g.GroupChannels;
        int jobsPerPart = Math.Max(1, PartElements / (g.KernelHeight * g.KernelWidth * g.L));
        fixed (T* px = x, pc = columns)
        {
            team.For((jobs + jobsPerPart - 1) / jobsPerPart, new ScatterBody<T>(g, pc, px, samples, jobs, jobsPerPart));
        }
    }

    /// <summary>Row <paramref name="row"/> (c, i, j) of one sample: <paramref name="output"/> [L] from <paramref name="x"/> [C/groups, H, W].</summary>
    private static void GatherRow<T>(Conv2dGeometry g, T* x, int row, T* output)
        where T : unmanaged, INumber<T>
    {
        int taps = g.KernelHeight * g.KernelWidth;
        (int c, int tap) = Math.DivRem(row, taps);
        (int i, int j) = Math.DivRem(tap, g.KernelWidth);
        int shift = (j * g.Dilation) - g.Padding;
        (int first, int end) = ValidOutputs(shift, g.Stride, g.Width, g.OutWidth);
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            T* line = output + (oh * g.OutWidth);
            int ih = (oh * g.Stride) - g.Padding + (i * g.Dilation);
            if ((uint)ih >= (uint)g.Height)
            {
                ConvolutionRuns.Clear(line, g.OutWidth);
                continue;
            }

            T* input = x + ((((long)c * g.Height) + ih) * g.Width);
            ConvolutionRuns.Clear(line, first);
            ConvolutionRuns.Clear(line + end, g.OutWidth - end);
            ConvolutionRuns.Gather(input + (first * g.Stride) + shift, g.Stride, line + first, end - first);
        }
    }

    /// <summary>Channel <paramref name="c"/> of one sample: clears its plane of <paramref name="x"/>, then adds every kernel position's row of <paramref name="columns"/> (row stride <paramref name="ld"/>) into it.</summary>
    private static void ScatterPlane<T>(Conv2dGeometry g, T* columns, long ld, int c, T* x)
        where T : unmanaged, INumber<T>
    {
        T* plane = x + ((long)c * g.Plane);
        ConvolutionRuns.Clear(plane, g.Plane);
        int row = c * g.KernelHeight * g.KernelWidth;
        for (int i = 0; i < g.KernelHeight; i++)
        {
            for (int j = 0; j < g.KernelWidth; j++, row++)
            {
                T* source = columns + (row * ld);
                int shift = (j * g.Dilation) - g.Padding;
                (int first, int end) = ValidOutputs(shift, g.Stride, g.Width, g.OutWidth);
                for (int oh = 0; oh < g.OutHeight; oh++)
                {
                    int ih = (oh * g.Stride) - g.Padding + (i * g.Dilation);
                    if ((uint)ih >= (uint)g.Height)
                    {
                        continue;
                    }

                    T* input = plane + ((long)ih * g.Width);
                    ConvolutionRuns.ScatterAdd(source + (oh * g.OutWidth) + first, input + (first * g.Stride) + shift, g.Stride, end - first);
                }
            }
        }
    }

    /// <summary>The output columns [first, end) whose input column <c>ow·stride + shift</c> lies in [0, width).</summary>
    internal static (int First, int End) ValidOutputs(int shift, int stride, int width, int outWidth)
    {
        int first = shift >= 0 ? 0 : Math.Min(outWidth, (-shift + stride - 1) / stride);
        int end = width - 1 - shift < 0 ? 0 : Math.Min(outWidth, ((width - 1 - shift) / stride) + 1);
        return (first, Math.Max(first, end));
    }

    /// <summary>Rows [part·jobsPerPart, …) of the block, job r being row r mod K of sample r / K.</summary>
    private readonly struct GatherBody<T>(Conv2dGeometry g, T* x, T* columns, int samples, int jobs, int jobsPerPart) : IParallelBody
        where T : unmanaged, INumber<T>
    {
        public void Run(int part, int worker)
        {
            long ld = (long)samples * g.L;
            long sampleStride = (long)g.Channels * g.Plane;
            int end = Math.Min(jobs, (part + 1) * jobsPerPart);
            for (int job = part * jobsPerPart; job < end; job++)
            {
                (int sample, int row) = Math.DivRem(job, g.K);
                GatherRow(g, x + (sample * sampleStride), row, columns + (row * ld) + ((long)sample * g.L));
            }
        }
    }

    /// <summary>Planes [part·jobsPerPart, …) of the block, job p being channel p mod C/groups of sample p / (C/groups).</summary>
    private readonly struct ScatterBody<T>(Conv2dGeometry g, T* columns, T* x, int samples, int jobs, int jobsPerPart) : IParallelBody
        where T : unmanaged, INumber<T>
    {
        public void Run(int part, int worker)
        {
            long ld = (long)samples * g.L;
            long sampleStride = (long)g.Channels * g.Plane;
            int end = Math.Min(jobs, (part + 1) * jobsPerPart);
            for (int job = part * jobsPerPart; job < end; job++)
            {
                (int sample, int c) = Math.DivRem(job, g.GroupChannels);
                ScatterPlane(g, columns + ((long)sample * g.L), ld, c, x + (sample * sampleStride));
            }
        }
    }
}
