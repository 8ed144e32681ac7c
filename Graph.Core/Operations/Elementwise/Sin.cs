namespace Graph.Core.Operations;

/// <summary>Elementwise sine, like <c>torch.sin</c>; <c>dx = grad · cos x</c>.</summary>
internal sealed class Sin : UnaryElementwiseOp
{
    private Sin()
    {
    }

    /// <summary>The op.</summary>
    public static Sin Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "sin";

    /// <inheritdoc/>
    public override string GradFn => "SinBackward";

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * node.Input(0).Cos()];
}
