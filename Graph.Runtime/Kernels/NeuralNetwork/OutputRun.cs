namespace Graph.Runtime.Kernels;

/// <summary>
/// Output columns [<see cref="OutColumn"/>, OutColumn + <see cref="Length"/>) of output row <see cref="OutRow"/> of
/// sample <see cref="Sample"/> of a block: the unit in which a range of a column matrix's output positions is copied
/// from one input row. <see cref="Offset"/> is where the run starts in the range.
/// </summary>
internal readonly record struct OutputRun(int Sample, int OutRow, int OutColumn, int Length, int Offset)
{
    /// <summary>
    /// Cuts output positions [<paramref name="position"/>, position + <paramref name="count"/>) of a block (position
    /// s·L + oh·oW + ow) into runs within one output row; returns how many it wrote into <paramref name="runs"/>, which
    /// needs room for count + 1.
    /// </summary>
    public static int Split(Conv2dGeometry g, int position, int count, Span<OutputRun> runs)
    {
        int written = 0;
        (int sample, int inSample) = Math.DivRem(position, g.L);
        (int oh, int ow) = Math.DivRem(inSample, g.OutWidth);
        for (int at = 0; at < count;)
        {
            int length = Math.Min(count - at, g.OutWidth - ow);
            runs[written++] = new OutputRun(sample, oh, ow, length, at);
            at += length;
            ow = 0;
            if (++oh == g.OutHeight)
            {
                (oh, sample) = (0, sample + 1);
            }
        }

        return written;
    }
}
