namespace Graph.Core.Operations;

/// <summary>Elementwise cosine, like <c>torch.cos</c>; <c>dx = −grad · sin x</c>.</summary>
internal sealed class Cos : UnaryElementwiseOp
{
    private Cos()
    {
    }

    /// <summary>The op.</summary>
    public static Cos Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "cos";

    /// <inheritdoc/>
    public override string GradFn => "CosBackward";

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * -node.Input(0).Sin()];
}
