using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The windows of a 2-D pooling of [N, C, H, W] into [N, C, oH, oW]: output (oh, ow) covers input rows
/// [RowStart[oh], RowEnd[oh]) and columns [ColumnStart[ow], ColumnEnd[ow]), already clipped to the input (padding
/// holds nothing). Computed once when a kernel is bound.
/// </summary>
internal sealed class PoolWindows
{
    private readonly int[] _rowStart;
    private readonly int[] _rowEnd;
    private readonly int[] _columnStart;
    private readonly int[] _columnEnd;
    private readonly long _fixedDivisor;

    private PoolWindows(Shape x, Shape y, Func<int, int, int, (int, int)> window, long fixedDivisor)
    {
        (Planes, Height, Width, OutHeight, OutWidth) = (x[0] * x[1], x[2], x[3], y[2], y[3]);
        (_rowStart, _rowEnd) = Windows(OutHeight, Height, window);
        (_columnStart, _columnEnd) = Windows(OutWidth, Width, window);
        _fixedDivisor = fixedDivisor;
    }

    /// <summary>N·C: the planes pooled one by one.</summary>
    public int Planes { get; }

    public int Height { get; }

    public int Width { get; }

    public int OutHeight { get; }

    public int OutWidth { get; }

    /// <summary>
    /// Sliding windows of attributes <c>kernel</c>, <c>stride</c> and <c>padding</c>; averages divide by kernel²,
    /// padding included (PyTorch's count_include_pad; without ceil mode no window reaches past the padding).
    /// </summary>
    public static PoolWindows Sliding(Shape x, Shape y, OpAttributes attributes)
    {
        int kernel = attributes.GetInt("kernel");
        int stride = attributes.GetInt("stride");
        int padding = attributes.GetInt("padding");
        return new PoolWindows(x, y, (o, _, size) => (Math.Max((o * stride) - padding, 0), Math.Min((o * stride) - padding + kernel, size)), (long)kernel * kernel);
    }

    /// <summary>Adaptive windows, as PyTorch's: ⌊o·size/out⌋ to ⌈(o + 1)·size/out⌉; averages divide by the window's area.</summary>
    public static PoolWindows Adaptive(Shape x, Shape y) =>
        new(x, y, (o, outSize, size) => ((int)((long)o * size / outSize), (int)((((o + 1L) * size) + outSize - 1) / outSize)), 0);

    public int RowStart(int oh) => _rowStart[oh];

    public int RowEnd(int oh) => _rowEnd[oh];

    public int ColumnStart(int ow) => _columnStart[ow];

    public int ColumnEnd(int ow) => _columnEnd[ow];

    /// <summary>What the average over window (oh, ow) divides by.</summary>
    public long Divisor(int oh, int ow) =>
        _fixedDivisor > 0 ? _fixedDivisor : (long)(_rowEnd[oh] - _rowStart[oh]) * (_columnEnd[ow] - _columnStart[ow]);

    private static (int[] Start, int[] End) Windows(int outSize, int size, Func<int, int, int, (int, int)> window)
    {
        var start = new int[outSize];
        var end = new int[outSize];
        for (int o = 0; o < outSize; o++)
        {
            (start[o], end[o]) = window(o, outSize, size);
        }

        return (start, end);
    }
}
