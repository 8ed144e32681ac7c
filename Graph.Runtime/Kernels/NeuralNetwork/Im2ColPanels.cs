using System.Numerics;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The column matrix of <see cref="Im2Col"/> as a GEMM's op(B), packed panel by panel straight from the input image
/// (implicit GEMM): row (c, i, j) of the [K, samples·L] matrix, column s·L + oh·oW + ow, is x[s, c, oh·stride −
/// padding + i·dilation, ow·stride − padding + j·dilation], 0 in the padding. Nothing the size of the column matrix is
/// written: each k slice of a panel goes from the image (which the late layers keep in cache) into the packed block the
/// micro-kernel reads, where im2col wrote K·L elements per sample to memory and the GEMM read them back to pack them.
/// </summary>
/// <remarks>
/// A panel's Nr columns are a few runs of consecutive output columns (one per output row they touch); each k step
/// copies each run from one input row, at the stride, with zeros where the run reaches into the padding.
/// </remarks>
internal readonly unsafe struct Im2ColPanels<T> : IPanelSource<T>
    where T : unmanaged, INumber<T>
{
    private readonly Conv2dGeometry _g;
    private readonly T* _x;

    /// <summary>The columns of the block of samples whose first sample's group starts at <paramref name="x"/>.</summary>
    public Im2ColPanels(Conv2dGeometry g, T* x)
    {
        _g = g;
        _x = x;
    }

    /// <inheritdoc/>
    public bool PackingIsCostly => true;

    /// <inheritdoc/>
    public void Pack<TKernel>(int pc, int kc, int jc, int nc, int firstPanel, int endPanel, T* packB)
        where TKernel : struct, IGemmKernel<T>
    {
        int nr = TKernel.Nr;

        // A run per output row a panel touches: at most one per column, plus one.
        Span<OutputRun> runs = stackalloc OutputRun[nr + 1];
        for (int panel = firstPanel; panel < endPanel; panel++)
        {
            int first = panel * nr;
            int cols = Math.Min(nr, nc - first);
            T* dst = packB + ((nint)first * kc);
            if (_g.TapOffsets is { } offsets)
            {
                PackPanelByTaps(offsets, pc, kc, jc + first, cols, nr, dst);
                continue;
            }

            int count = OutputRun.Split(_g, jc + first, cols, runs);
            if (typeof(T) == typeof(float) && _g.Stride == 1 && FloatRuns.IsAccelerated)
            {
                PackPanelOfFloatsAtStrideOne(pc, kc, runs[..count], nr, (float*)dst);
                continue;
            }

            PackPanel(pc, kc, runs[..count], cols, nr, dst);
        }
    }

    /// <summary>
    /// One panel of a narrow output: each element looked up in the tap offsets (where rows of two or four outputs
    /// would be as many runs, each costing more than its copy).
    /// </summary>
    private void PackPanelByTaps(int[] offsets, int pc, int kc, int column, int cols, int nr, T* dst)
    {
        Conv2dGeometry g = _g;
        int taps = g.KernelHeight * g.KernelWidth;
        long sampleStride = (long)g.Channels * g.Plane;
        Span<long> sampleBase = stackalloc long[nr];
        Span<int> position = stackalloc int[nr];
        for (int q = 0; q < cols; q++)
        {
            (int sample, int at) = Math.DivRem(column + q, g.L);
            (sampleBase[q], position[q]) = (sample * sampleStride, at);
        }

        fixed (int* tapOffsets = offsets)
        {
            for (int p = 0; p < kc; p++, dst += nr)
            {
                (int c, int tap) = Math.DivRem(pc + p, taps);
                int* map = tapOffsets + ((long)tap * g.L);
                T* channel = _x + ((long)c * g.Plane);
                for (int q = 0; q < cols; q++)
                {
                    int offset = map[position[q]];
                    dst[q] = offset >= 0 ? channel[sampleBase[q] + offset] : T.Zero;
                }

                ConvolutionRuns.Clear(dst + cols, nr - cols);
            }
        }
    }

    /// <summary>
    /// <see cref="PackPanel"/> for float32 at stride 1, where every run is a contiguous copy: each k row is cleared
    /// with whole vectors and each run's valid part copied over it with vectors and one masked tail. The generic walk
    /// spends three calls per run and k row (two clears and a memmove), as long as the micro-kernel's FMAs on the
    /// row when the output has few channels (the first layers); this costs a few vector moves.
    /// </summary>
    private void PackPanelOfFloatsAtStrideOne(int pc, int kc, ReadOnlySpan<OutputRun> runs, int nr, float* dst)
    {
        Conv2dGeometry g = _g;
        int taps = g.KernelHeight * g.KernelWidth;
        (int c, int tap) = Math.DivRem(pc, taps);
        (int i, int j) = Math.DivRem(tap, g.KernelWidth);
        long sampleStride = (long)g.Channels * g.Plane;
        float* x = (float*)_x;
        for (int p = 0; p < kc; p++, dst += nr)
        {
            FloatRuns.Clear(dst, nr);
            int shift = (j * g.Dilation) - g.Padding;
            int validFirst = Math.Max(0, -shift);
            int validEnd = Math.Min(g.OutWidth, g.Width - shift);
            float* channel = x + ((long)c * g.Plane);
            int rowShift = (i * g.Dilation) - g.Padding;
            foreach (OutputRun run in runs)
            {
                int ih = run.OutRow + rowShift;
                int end = run.OutColumn + run.Length;
                int lo = Math.Max(validFirst, run.OutColumn);
                int hi = Math.Min(validEnd, end);
                if ((uint)ih < (uint)g.Height && lo < hi)
                {
                    float* input = channel + (run.Sample * sampleStride) + ((long)ih * g.Width);
                    FloatRuns.Copy(input + lo + shift, dst + run.Offset + (lo - run.OutColumn), hi - lo);
                }
            }

            if (++j == g.KernelWidth)
            {
                j = 0;
                if (++i == g.KernelHeight)
                {
                    (i, c) = (0, c + 1);
                }
            }
        }
    }

    /// <summary>Packs k steps [<paramref name="pc"/>, pc + <paramref name="kc"/>) of one panel, row (c, i, j) at a time.</summary>
    private void PackPanel(int pc, int kc, ReadOnlySpan<OutputRun> runs, int cols, int nr, T* dst)
    {
        Conv2dGeometry g = _g;
        int taps = g.KernelHeight * g.KernelWidth;
        (int c, int tap) = Math.DivRem(pc, taps);
        (int i, int j) = Math.DivRem(tap, g.KernelWidth);
        long sampleStride = (long)g.Channels * g.Plane;
        for (int p = 0; p < kc; p++, dst += nr)
        {
            int shift = (j * g.Dilation) - g.Padding;
            (int validFirst, int validEnd) = Im2Col.ValidOutputs(shift, g.Stride, g.Width, g.OutWidth);
            T* channel = _x + ((long)c * g.Plane);
            foreach (OutputRun run in runs)
            {
                T* line = dst + run.Offset;
                int ih = (run.OutRow * g.Stride) - g.Padding + (i * g.Dilation);
                if ((uint)ih >= (uint)g.Height)
                {
                    ConvolutionRuns.Clear(line, run.Length);
                    continue;
                }

                int end = run.OutColumn + run.Length;
                int lo = Math.Clamp(validFirst, run.OutColumn, end);
                int hi = Math.Clamp(validEnd, lo, end);
                T* input = channel + (run.Sample * sampleStride) + ((long)ih * g.Width);
                ConvolutionRuns.Clear(line, lo - run.OutColumn);
                ConvolutionRuns.Gather(input + (lo * g.Stride) + shift, g.Stride, line + (lo - run.OutColumn), hi - lo);
                ConvolutionRuns.Clear(line + (hi - run.OutColumn), end - hi);
            }

            ConvolutionRuns.Clear(dst + cols, nr - cols);
            if (++j == g.KernelWidth)
            {
                j = 0;
                if (++i == g.KernelHeight)
                {
                    (i, c) = (0, c + 1);
                }
            }
        }
    }
}
