namespace Graph.Core.Operations;

/// <summary>Elementwise logistic sigmoid <c>1 / (1 + e^−x)</c>; <c>dx = grad · y · (1 − y)</c>.</summary>
internal sealed class Sigmoid : UnaryElementwiseOp
{
    private Sigmoid()
    {
    }

    /// <summary>The op.</summary>
    public static Sigmoid Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "sigmoid";

    /// <inheritdoc/>
    public override string GradFn => "SigmoidBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * node * (1.0 - node)];
}
