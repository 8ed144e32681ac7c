using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The sizes of one convolution: input [N, C, H, W], weight [O, C/groups, kH, kW], output [N, O, oH, oW], and
/// the matrices of its im2col form: per sample and group, output [Og, L] = weight [Og, K] · columns [K, L].
/// </summary>
internal sealed class Conv2dGeometry
{
    public Conv2dGeometry(Shape x, Shape weight, Shape y, OpAttributes attributes)
    {
        (Batch, Channels, Height, Width) = (x[0], x[1], x[2], x[3]);
        (OutChannels, KernelHeight, KernelWidth) = (weight[0], weight[2], weight[3]);
        (OutHeight, OutWidth) = (y[2], y[3]);
        Stride = attributes.GetInt("stride");
        Padding = attributes.GetInt("padding");
        Dilation = attributes.GetInt("dilation");
        Groups = attributes.GetInt("groups");
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
    /// True for a 1×1 kernel with stride 1 and no padding: the column matrix is the input itself ([C/groups, H·W]),
    /// so no im2col is needed.
    /// </summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && Stride == 1 && Padding == 0;

    /// <summary>Elements of the column matrix of one sample and group; 0 when <see cref="IsPointwise"/>.</summary>
    public int ColumnCount => IsPointwise ? 0 : K * L;
}
