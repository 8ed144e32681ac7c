using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The sizes of one convolution: input [N, C, H, W], weight [O, C/groups, kH, kW], output [N, O, oH, oW], and
/// the matrices of its im2col form: per block of <see cref="SampleBlock"/> samples and per group, output
/// [Og, samples·L] = weight [Og, K] · columns [K, samples·L].
/// </summary>
internal sealed class Conv2dGeometry
{
    // The scratch one block may use (its columns and one [Og, samples·L] matrix): big enough that the small late
    // layers of a network become one wide product per group, small enough to stay a modest part of the memory.
    private const long BlockBudgetBytes = 16L << 20;

    public Conv2dGeometry(Shape x, Shape weight, Shape y, OpAttributes attributes, int elementSize)
        : this(
            (x[0], x[1], x[2], x[3]), (weight[0], weight[2], weight[3]), (y[2], y[3]),
            (attributes.GetInt("stride"), attributes.GetInt("padding"), attributes.GetInt("dilation"), attributes.GetInt("groups")),
            elementSize)
    {
    }

    private Conv2dGeometry(
        (int Batch, int Channels, int Height, int Width) input, (int OutChannels, int KernelHeight, int KernelWidth) kernel,
        (int OutHeight, int OutWidth) output, (int Stride, int Padding, int Dilation, int Groups) attributes, int elementSize)
    {
        (Batch, Channels, Height, Width) = input;
        (OutChannels, KernelHeight, KernelWidth) = kernel;
        (OutHeight, OutWidth) = output;
        (Stride, Padding, Dilation, Groups) = attributes;
        ElementSize = elementSize;
        long bytesPerSample = (long)(K + GroupOutChannels) * L * elementSize;
        SampleBlock = (int)Math.Clamp(BlockBudgetBytes / Math.Max(1, bytesPerSample), 1, Math.Max(1, Batch));
        TapOffsets = OutWidth < NarrowOutputWidth && (long)KernelHeight * KernelWidth * L <= MaxTapOffsets ? BuildTapOffsets() : null;
    }

    // Output rows narrower than this make the implicit column packers look each element up in TapOffsets instead of
    // copying runs: a run of two elements costs its bookkeeping many times over.
    private const int NarrowOutputWidth = 8;

    // The most tap offsets kept (taps × output positions): 256 KB of int.
    private const int MaxTapOffsets = 1 << 16;

    /// <summary>
    /// For narrow outputs (rows under 8 wide), the input-plane offset ih·W + iw each kernel tap (i, j) reads at each
    /// output position, or −1 in the padding: entry tap·L + position. Null for wider outputs, whose rows are copied
    /// as runs.
    /// </summary>
    public int[]? TapOffsets { get; }

    /// <summary>Bytes per element.</summary>
    public int ElementSize { get; }

    public int Batch { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int OutChannels { get; }

    public int KernelHeight { get; }

    public int KernelWidth { get; }

    public int OutHeight { get; }

    public int OutWidth { get; }

    public int Stride { get; }

    public int Padding { get; }

    public int Dilation { get; }

    public int Groups { get; }

    /// <summary>Input channels per group.</summary>
    public int GroupChannels => Channels / Groups;

    /// <summary>Output channels per group.</summary>
    public int GroupOutChannels => OutChannels / Groups;

    /// <summary>The rows of the column matrix: input channels per group × kernel positions.</summary>
    public int K => GroupChannels * KernelHeight * KernelWidth;

    /// <summary>The columns of the column matrix: output positions.</summary>
    public int L => OutHeight * OutWidth;

    /// <summary>Elements of one input plane.</summary>
    public int Plane => Height * Width;

    /// <summary>
    /// True for a 1×1 kernel with stride 1 and no padding: one sample's column matrix is its input itself
    /// ([C/groups, H·W]), so a block of one sample needs no im2col.
    /// </summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && Stride == 1 && Padding == 0;

    /// <summary>
    /// Samples per matrix product, at most the batch: chosen from the sizes and the element size alone, never the
    /// thread count, so that the products (and their sums over blocks) are the same for every thread count.
    /// </summary>
    public int SampleBlock { get; }

    /// <summary>Elements of the column matrix of one block and group; 0 for a pointwise convolution one sample at a time.</summary>
    public int ColumnCount => IsPointwise && SampleBlock == 1 ? 0 : K * SampleBlock * L;

    /// <summary>Elements of one block's [Og, samples·L] matrix (output or output gradient); 0 one sample at a time, when the tensor itself is that matrix.</summary>
    public int BlockOutputCount => SampleBlock == 1 ? 0 : GroupOutChannels * SampleBlock * L;

    /// <summary>Scratch elements a convolution kernel reserves: the columns, then the block's output matrix.</summary>
    public int ScratchCount => ColumnCount + BlockOutputCount;

    /// <summary>
    /// True when the forward and weight-gradient products of a block of <paramref name="samples"/> samples pack the
    /// column matrix straight from the input (<see cref="Im2ColPanels{T}"/>, <see cref="Im2ColTransposedPanels{T}"/>):
    /// whenever the columns would otherwise be written out, except for forward products narrower than
    /// <see cref="NarrowestImplicitProduct"/> columns, which the GEMM's narrow path runs unpacked.
    /// </summary>
    public bool PacksColumnsFromInput(int samples) => !ReadsInputDirectly(samples) && (long)samples * L >= NarrowestImplicitProduct;

    /// <summary>The column scratch of the forward and weight-gradient kernels: only blocks that do not pack from the input (see <see cref="PacksColumnsFromInput"/>) need it.</summary>
    public int ImplicitColumnCount => PacksColumnsFromInput(Math.Min(SampleBlock, LastBlockSamples)) ? 0 : ColumnCount;

    /// <summary>Scratch elements the forward and weight-gradient kernels reserve: <see cref="ImplicitColumnCount"/>, then the block's output (or gradient) matrix.</summary>
    public int ImplicitScratchCount => ImplicitColumnCount + BlockOutputCount;

    // Products this narrow take GEMM's unpacked narrow path (C of 2–8 columns), which reads a stored B.
    private const int NarrowestImplicitProduct = 9;

    /// <summary>Samples in the last block of the batch.</summary>
    private int LastBlockSamples => Batch % SampleBlock == 0 ? SampleBlock : Batch % SampleBlock;

    private int[] BuildTapOffsets()
    {
        int taps = KernelHeight * KernelWidth;
        var offsets = new int[taps * L];
        for (int tap = 0; tap < taps; tap++)
        {
            (int i, int j) = Math.DivRem(tap, KernelWidth);
            for (int oh = 0; oh < OutHeight; oh++)
            {
                for (int ow = 0; ow < OutWidth; ow++)
                {
                    int ih = (oh * Stride) - Padding + (i * Dilation);
                    int iw = (ow * Stride) - Padding + (j * Dilation);
                    bool inside = (uint)ih < (uint)Height && (uint)iw < (uint)Width;
                    offsets[(tap * L) + (oh * OutWidth) + ow] = inside ? (ih * Width) + iw : -1;
                }
            }
        }

        return offsets;
    }

    /// <summary>
    /// True when the input gradient is better computed as a forward convolution (<see cref="AsInputGradientConvolution"/>):
    /// the convolution has stride 1 and a square kernel, its padding is no larger than the kernel's reach (so the
    /// gradient's convolution pads by a nonnegative amount, the same on both axes), and the flipped weights it needs are smaller than the column matrix the
    /// transposed product would write and col2im would read back (the early layers, with many output positions).
    /// </summary>
    public bool InputGradientAsConvolution =>
        Stride == 1
        && KernelHeight == KernelWidth
        && Padding <= Dilation * (KernelHeight - 1)
        && (long)OutChannels * K < (long)K * SampleBlock * L;

    /// <summary>
    /// The geometry of the input gradient of this stride-1 convolution as a forward convolution: dx [N, C, H, W] is
    /// the output gradient [N, O, oH, oW] convolved, padding dilation·(k − 1) − padding, with the weights flipped in
    /// both spatial axes and their channel axes swapped ([C, O/groups, kH, kW]).
    /// </summary>
    public Conv2dGeometry AsInputGradientConvolution() =>
        new(
            (Batch, OutChannels, OutHeight, OutWidth), (Channels, KernelHeight, KernelWidth), (Height, Width),
            (1, (Dilation * (KernelHeight - 1)) - Padding, Dilation, Groups), ElementSize);

    /// <summary>True when a block of <paramref name="samples"/> samples multiplies the input itself (pointwise, one sample).</summary>
    public bool ReadsInputDirectly(int samples) => IsPointwise && samples == 1;
}
