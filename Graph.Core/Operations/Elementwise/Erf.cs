namespace Graph.Core.Operations;

/// <summary>Elementwise error function, like <c>torch.erf</c> (the exact GELU is built on it); <c>dx = grad · 2/√π · e^(−x²)</c>.</summary>
internal sealed class Erf : UnaryElementwiseOp
{
    private Erf()
    {
    }

    /// <summary>The op.</summary>
    public static Erf Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "erf";

    /// <inheritdoc/>
    public override string GradFn => "ErfBackward";

    /// <summary>2/√π, the derivative of erf at 0.</summary>
    internal const double TwoOverSqrtPi = 1.1283791670955126;

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * (node.Input(0) * node.Input(0) * -1.0).Exp() * Erf.TwoOverSqrtPi];
}
