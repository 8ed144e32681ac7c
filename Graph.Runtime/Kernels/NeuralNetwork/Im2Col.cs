using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The column matrix of a convolution and its adjoint: row (c, i, j) of the [K, L] matrix holds, for every output
/// position (oh, ow), the input element x[c, oh·stride − padding + i·dilation, ow·stride − padding + j·dilation],
/// 0 where that falls in the padding. Each row is built from runs of input rows: a plain copy (or add) when the
/// stride is 1.
/// </summary>
internal static class Im2Col
{
    /// <summary>Fills <paramref name="columns"/> [K, L] from <paramref name="x"/> [C/groups, H, W], one sample's group.</summary>
    public static void Gather<T>(Conv2dGeometry g, ReadOnlySpan<T> x, Span<T> columns)
        where T : unmanaged, INumber<T>
    {
        int row = 0;
        for (int c = 0; c < g.GroupChannels; c++)
        {
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row++)
                {
                    Span<T> destination = columns.Slice(row * g.L, g.L);
                    int shift = (j * g.Dilation) - g.Padding;
                    (int first, int end) = ValidOutputs(shift, g.Stride, g.Width, g.OutWidth);
                    for (int oh = 0; oh < g.OutHeight; oh++)
                    {
                        Span<T> output = destination.Slice(oh * g.OutWidth, g.OutWidth);
                        int ih = (oh * g.Stride) - g.Padding + (i * g.Dilation);
                        if ((uint)ih >= (uint)g.Height)
                        {
                            output.Clear();
                            continue;
                        }

                        ReadOnlySpan<T> input = x.Slice(((c * g.Height) + ih) * g.Width, g.Width);
                        output[..first].Clear();
                        output[end..].Clear();
                        if (g.Stride == 1)
                        {
                            input.Slice(first + shift, end - first).CopyTo(output[first..end]);
                        }
                        else
                        {
                            for (int ow = first; ow < end; ow++)
                            {
                                output[ow] = input[(ow * g.Stride) + shift];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds each element of <paramref name="columns"/> [K, L] into its place of <paramref name="x"/> [C/groups, H, W]: the adjoint of <see cref="Gather"/>.</summary>
    public static void ScatterAdd<T>(Conv2dGeometry g, ReadOnlySpan<T> columns, Span<T> x)
        where T : unmanaged, INumber<T>
    {
        int row = 0;
        for (int c = 0; c < g.GroupChannels; c++)
        {
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row++)
                {
                    ReadOnlySpan<T> source = columns.Slice(row * g.L, g.L);
                    int shift = (j * g.Dilation) - g.Padding;
                    (int first, int end) = ValidOutputs(shift, g.Stride, g.Width, g.OutWidth);
                    for (int oh = 0; oh < g.OutHeight; oh++)
                    {
                        int ih = (oh * g.Stride) - g.Padding + (i * g.Dilation);
                        if ((uint)ih >= (uint)g.Height)
                        {
                            continue;
                        }

                        ReadOnlySpan<T> output = source.Slice(oh * g.OutWidth, g.OutWidth);
                        Span<T> input = x.Slice(((c * g.Height) + ih) * g.Width, g.Width);
                        if (g.Stride == 1)
                        {
                            Span<T> run = input.Slice(first + shift, end - first);
                            TensorPrimitives.Add(run, output[first..end], run);
                        }
                        else
                        {
                            for (int ow = first; ow < end; ow++)
                            {
                                input[(ow * g.Stride) + shift] += output[ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The output columns [first, end) whose input column <c>ow·stride + shift</c> lies in [0, width).</summary>
    private static (int First, int End) ValidOutputs(int shift, int stride, int width, int outWidth)
    {
        int first = shift >= 0 ? 0 : Math.Min(outWidth, (-shift + stride - 1) / stride);
        int end = width - 1 - shift < 0 ? 0 : Math.Min(outWidth, ((width - 1 - shift) / stride) + 1);
        return (first, Math.Max(first, end));
    }
}
