using System.Numerics;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The transposed column matrix, [samples·L, K], as a GEMM's op(B), packed straight from the input image: the weight
/// gradient's product dw = grad · columnsᵀ reads it without <see cref="Im2Col"/> writing the columns out. Element
/// (s·L + oh·oW + ow, (c, i, j)) is x[s, c, oh·stride − padding + i·dilation, ow·stride − padding + j·dilation].
/// </summary>
/// <remarks>
/// A k slice covers output positions [pc, pc + kc): a few runs of consecutive output columns, cut once per slice. Each
/// panel column (c, i, j) is those runs of one input channel at one kernel offset, written down the panel at its
/// stride of Nr.
/// </remarks>
internal readonly unsafe struct Im2ColTransposedPanels<T> : IPanelSource<T>
    where T : unmanaged, INumber<T>
{
    private readonly Conv2dGeometry _g;
    private readonly T* _x;

    /// <summary>The transposed columns of the block of samples whose first sample's group starts at <paramref name="x"/>.</summary>
    public Im2ColTransposedPanels(Conv2dGeometry g, T* x)
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
        if (_g.TapOffsets is { } offsets && kc <= StackRuns)
        {
            PackByTaps(offsets, pc, kc, jc, nc, firstPanel, endPanel, nr, packB);
            return;
        }

        Span<OutputRun> runs = kc <= StackRuns ? stackalloc OutputRun[kc + 1] : new OutputRun[kc + 1];
        int count = OutputRun.Split(_g, pc, kc, runs);
        for (int panel = firstPanel; panel < endPanel; panel++)
        {
            int first = panel * nr;
            int cols = Math.Min(nr, nc - first);
            T* dst = packB + ((nint)first * kc);
            for (int q = 0; q < cols; q++)
            {
                PackColumn(jc + first + q, runs[..count], dst + q, nr);
            }

            for (int q = cols; q < nr; q++)
            {
                Clear(dst + q, nr, kc);
            }
        }
    }

    /// <summary>
    /// The panels of a narrow output: each element looked up in the tap offsets, the slice's positions decoded once
    /// (where rows of two or four outputs would be as many runs, each costing more than its copy).
    /// </summary>
    private void PackByTaps(int[] offsets, int pc, int kc, int jc, int nc, int firstPanel, int endPanel, int nr, T* packB)
    {
        Conv2dGeometry g = _g;
        int taps = g.KernelHeight * g.KernelWidth;
        long sampleStride = (long)g.Channels * g.Plane;
        Span<long> sampleBase = stackalloc long[kc];
        Span<int> position = stackalloc int[kc];
        for (int p = 0; p < kc; p++)
        {
            (int sample, int at) = Math.DivRem(pc + p, g.L);
            (sampleBase[p], position[p]) = (sample * sampleStride, at);
        }

        fixed (int* tapOffsets = offsets)
        {
            for (int panel = firstPanel; panel < endPanel; panel++)
            {
                int first = panel * nr;
                int cols = Math.Min(nr, nc - first);
                T* dst = packB + ((nint)first * kc);
                for (int q = 0; q < cols; q++)
                {
                    (int c, int tap) = Math.DivRem(jc + first + q, taps);
                    int* map = tapOffsets + ((long)tap * g.L);
                    T* channel = _x + ((long)c * g.Plane);
                    T* column = dst + q;
                    for (int p = 0; p < kc; p++)
                    {
                        int offset = map[position[p]];
                        column[(nint)p * nr] = offset >= 0 ? channel[sampleBase[p] + offset] : T.Zero;
                    }
                }

                for (int q = cols; q < nr; q++)
                {
                    Clear(dst + q, nr, kc);
                }
            }
        }
    }

    // Runs of a k slice held on the stack: one per output position at most, and Kc is 256 or less on every path.
    private const int StackRuns = 512;

    /// <summary>Column <paramref name="row"/> (c, i, j) of the slice, every <paramref name="nr"/>-th element from <paramref name="dst"/>.</summary>
    private void PackColumn(int row, ReadOnlySpan<OutputRun> runs, T* dst, int nr)
    {
        Conv2dGeometry g = _g;
        int taps = g.KernelHeight * g.KernelWidth;
        (int c, int tap) = Math.DivRem(row, taps);
        (int i, int j) = Math.DivRem(tap, g.KernelWidth);
        int shift = (j * g.Dilation) - g.Padding;
        (int validFirst, int validEnd) = Im2Col.ValidOutputs(shift, g.Stride, g.Width, g.OutWidth);
        T* channel = _x + ((long)c * g.Plane);
        long sampleStride = (long)g.Channels * g.Plane;
        foreach (OutputRun run in runs)
        {
            T* line = dst + ((nint)run.Offset * nr);
            int ih = (run.OutRow * g.Stride) - g.Padding + (i * g.Dilation);
            if ((uint)ih >= (uint)g.Height)
            {
                Clear(line, nr, run.Length);
                continue;
            }

            int end = run.OutColumn + run.Length;
            int lo = Math.Clamp(validFirst, run.OutColumn, end);
            int hi = Math.Clamp(validEnd, lo, end);
            T* input = channel + (run.Sample * sampleStride) + ((long)ih * g.Width) + (lo * g.Stride) + shift;
            Clear(line, nr, lo - run.OutColumn);
            T* at = line + ((nint)(lo - run.OutColumn) * nr);
            for (int p = 0; p < hi - lo; p++)
            {
                at[(nint)p * nr] = input[(nint)p * g.Stride];
            }

            Clear(line + ((nint)(hi - run.OutColumn) * nr), nr, end - hi);
        }
    }

    private static void Clear(T* dst, int stride, int count)
    {
        for (int p = 0; p < count; p++)
        {
            dst[(nint)p * stride] = T.Zero;
        }
    }
}
