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
    {
        (Batch, Channels, Height, Width) = (x[0], x[1], x[2], x[3]);
        (OutChannels, KernelHeight, KernelWidth) = (weight[0], weight[2], weight[3]);
        (OutHeight, OutWidth) = (y[2], y[3]);
        Stride = attributes.GetInt("stride");
        Padding = attributes.GetInt("padding");
        Dilation = attributes.GetInt("dilation");
        Groups = attributes.GetInt("groups");
        long bytesPerSample = (long)(K + GroupOutChannels) * L * elementSize;
        SampleBlock = (int)Math.Clamp(BlockBudgetBytes / Math.Max(1, bytesPerSample), 1, Math.Max(1, Batch));
    }

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

    /// <summary>True when a block of <paramref name="samples"/> samples multiplies the input itself (pointwise, one sample).</summary>
    public bool ReadsInputDirectly(int samples) => IsPointwise && samples == 1;
}
