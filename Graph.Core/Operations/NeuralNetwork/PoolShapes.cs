namespace Graph.Core.Operations;

/// <summary>Shape rules the pooling gradients share.</summary>
internal static class PoolShapes
{
    /// <summary>
    /// The input shape a pooling gradient restores: <paramref name="grad"/>'s batch and channels with the height
    /// and width of attribute <c>input_size</c>.
    /// </summary>
    public static Shape Input(Shape grad, OpAttributes attributes)
    {
        int[] size = attributes.GetInts("input_size");
        if (grad.Rank != 4 || size.Length != 2 || size[0] < 1 || size[1] < 1)
        {
            throw new OpRuleException($"the gradient {grad} must be 4-D [batch, channels, height, width] and input_size [{string.Join(", ", size)}] a positive [height, width]");
        }

        return new Shape(grad[0], grad[1], size[0], size[1]);
    }
}
