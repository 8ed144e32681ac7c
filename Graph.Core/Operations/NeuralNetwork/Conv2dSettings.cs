namespace Graph.Core.Operations;

/// <summary>
/// The attributes the three convolution ops share (<c>stride</c>, <c>padding</c>, <c>dilation</c>, <c>groups</c>,
/// the same along height and width) and PyTorch's shape rule: an input [N, C, H, W] and a weight
/// [O, C/groups, kH, kW] give [N, O, oH, oW] with <c>oH = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1</c>.
/// </summary>
internal readonly record struct Conv2dSettings(int Stride, int Padding, int Dilation, int Groups)
{
    public static Conv2dSettings From(OpAttributes attributes) =>
        new(attributes.GetInt("stride"), attributes.GetInt("padding"), attributes.GetInt("dilation"), attributes.GetInt("groups"));

    public OpAttributes ToAttributes() =>
        OpAttributes.Empty.With("stride", Stride).With("padding", Padding).With("dilation", Dilation).With("groups", Groups);

    /// <summary>Requires stride, dilation and groups of at least 1 and padding of at least 0.</summary>
    public void RequireValid()
    {
        if (Stride < 1 || Dilation < 1 || Padding < 0 || Groups < 1)
        {
            throw new OpRuleException($"stride {Stride}, padding {Padding}, dilation {Dilation} and groups {Groups} are out of range: stride, dilation and groups must be at least 1 and padding at least 0");
        }
    }

    /// <summary>The output shape of convolving <paramref name="x"/> with <paramref name="weight"/> in <paramref name="dtype"/>; throws naming both shapes when they do not fit.</summary>
    public Shape OutputShape(Shape x, Shape weight, DType dtype)
    {
        RequireValid();
        if (x.Rank != 4)
        {
            throw new OpRuleException($"the input {x} must be 4-D [batch, channels, height, width]");
        }

        if (weight.Rank != 4)
        {
            throw new OpRuleException($"the weight {weight} must be 4-D [out_channels, in_channels / groups, kernel_height, kernel_width]");
        }

        if (x[1] % Groups != 0)
        {
            throw new OpRuleException($"the input {x} has {x[1]} channels, which groups = {Groups} does not divide");
        }

        if (weight[0] % Groups != 0)
        {
            throw new OpRuleException($"the weight {weight} has {weight[0]} output channels, which groups = {Groups} does not divide");
        }

        if (weight[1] * Groups != x[1])
        {
            throw new OpRuleException($"the weight {weight} takes {weight[1]} input channels per group, {weight[1] * Groups} in all with groups = {Groups}, but the input {x} has {x[1]} channels");
        }

        var output = new Shape(x[0], weight[0], OutputSize(x, weight, 2, "height"), OutputSize(x, weight, 3, "width"));
        RequireColumnsFit(weight, output, dtype);
        return output;
    }

    /// <summary>
    /// The kernels lay one sample's im2col columns out as a [C/groups · kH · kW, oH · oW] matrix in one scratch buffer,
    /// indexed with int: a product that does not fit one buffer is refused here, where the error names the op, rather
    /// than wrapping in the kernel.
    /// </summary>
    private static void RequireColumnsFit(Shape weight, Shape output, DType dtype)
    {
        long rows = SizeArithmetic.Product(weight.Dims[1..]);
        long columns = SizeArithmetic.Multiply(output[2], output[3]);
        long bytes = SizeArithmetic.Multiply(SizeArithmetic.Multiply(rows, columns), dtype.SizeInBytes());
        if (bytes > AlignedBuffer.MaxByteLength)
        {
            throw new OpRuleException($"the im2col columns of one sample, [{rows}, {columns}] of {dtype.Name()} from the weight {weight} and the output {output}, would need more than the {AlignedBuffer.MaxByteLength} bytes one buffer holds; use a smaller kernel, a smaller input or a larger stride");
        }
    }

    private int OutputSize(Shape x, Shape weight, int axis, string name)
    {
        if (x[axis] == Shape.Dynamic)
        {
            throw new OpRuleException($"the input {x} has a dynamic {name}; only its batch dimension may be -1 (-1 in an Input shape), so give the {name} a fixed size");
        }

        // In long: attributes read from a file may be large enough to overflow int.
        long span = ((long)Dilation * (weight[axis] - 1)) + 1;
        long padded = x[axis] + (2L * Padding);
        if (weight[axis] < 1 || span > padded || padded > int.MaxValue)
        {
            throw new OpRuleException($"the kernel of the weight {weight} spans {span} along the {name} (dilation {Dilation}), more than the input {x} padded by {Padding} on each side ({padded}): the kernel is larger than the padded input");
        }

        return (int)((padded - span) / Stride) + 1;
    }
}
