namespace Graph.Core.Operations;

/// <summary>Elementwise hyperbolic tangent; <c>dx = grad · (1 − y²)</c>.</summary>
internal sealed class Tanh : UnaryElementwiseOp
{
    private Tanh()
    {
    }

    /// <summary>The op.</summary>
    public static Tanh Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "tanh";

    /// <inheritdoc/>
    public override string GradFn => "TanhBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * (1.0 - (node * node))];
}
