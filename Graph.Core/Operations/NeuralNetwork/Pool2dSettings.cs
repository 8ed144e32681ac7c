namespace Graph.Core.Operations;

/// <summary>
/// The attributes max and average pooling share (<c>kernel</c>, <c>stride</c>, <c>padding</c>, the same along
/// height and width) and PyTorch's shape rule without ceil mode: [N, C, H, W] gives [N, C, oH, oW] with
/// <c>oH = ⌊(H + 2·padding − kernel) / stride⌋ + 1</c>, and padding at most half the kernel.
/// </summary>
internal readonly record struct Pool2dSettings(int Kernel, int Stride, int Padding)
{
    public static Pool2dSettings From(OpAttributes attributes) =>
        new(attributes.GetInt("kernel"), attributes.GetInt("stride"), attributes.GetInt("padding"));

    public OpAttributes ToAttributes() =>
        OpAttributes.Empty.With("kernel", Kernel).With("stride", Stride).With("padding", Padding);

    /// <summary>The pooled shape of <paramref name="x"/>; throws naming the shape when the window does not fit.</summary>
    public Shape OutputShape(Shape x)
    {
        if (Kernel < 1 || Stride < 1 || Padding < 0)
        {
            throw new OpRuleException($"kernel {Kernel}, stride {Stride} and padding {Padding} are out of range: kernel and stride must be at least 1 and padding at least 0");
        }

        if (2L * Padding > Kernel)
        {
            throw new OpRuleException($"padding {Padding} is more than half the kernel {Kernel}; a window would hold only padding. Use padding of at most {Kernel / 2}");
        }

        if (x.Rank != 4)
        {
            throw new OpRuleException($"the input {x} must be 4-D [batch, channels, height, width]");
        }

        if (x[2] == Shape.Dynamic || x[3] == Shape.Dynamic)
        {
            throw new OpRuleException($"the input {x} has a dynamic height or width; only its batch dimension may be -1 (-1 in an Input shape), so give them fixed sizes");
        }

        long paddedHeight = x[2] + (2L * Padding);
        long paddedWidth = x[3] + (2L * Padding);
        if (paddedHeight < Kernel || paddedWidth < Kernel)
        {
            throw new OpRuleException($"the kernel {Kernel}×{Kernel} is larger than the input {x} padded by {Padding} on each side");
        }

        return new Shape(x[0], x[1], (int)((paddedHeight - Kernel) / Stride) + 1, (int)((paddedWidth - Kernel) / Stride) + 1);
    }

    /// <summary>Requires <paramref name="grad"/> to be the pooled shape of <paramref name="input"/>.</summary>
    public void RequireGradientOf(Shape grad, Shape input)
    {
        Shape output = OutputShape(input);
        if (grad != output)
        {
            throw new OpRuleException($"the gradient {grad} is not the shape {output} that pooling an input {input} gives");
        }
    }
}
