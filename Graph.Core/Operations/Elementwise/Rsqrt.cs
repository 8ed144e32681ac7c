namespace Graph.Core.Operations;

/// <summary>Elementwise <c>1 / √x</c>, like <c>torch.rsqrt</c>; <c>dx = −grad · y³ / 2</c>, as PyTorch's derivatives.yaml.</summary>
internal sealed class Rsqrt : UnaryElementwiseOp
{
    private Rsqrt()
    {
    }

    /// <summary>The op.</summary>
    public static Rsqrt Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "rsqrt";

    /// <inheritdoc/>
    public override string GradFn => "RsqrtBackward";

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * node * node * node * -0.5];
}
