namespace Graph.Core.Operations;

/// <summary>Elementwise quotient <c>a / b</c> with broadcasting; <c>da = grad / b</c>, <c>db = −grad · a / b²</c>.</summary>
internal sealed class Div : BinaryElementwiseOp
{
    private Div()
    {
    }

    /// <summary>The op.</summary>
    public static Div Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "div";

    /// <inheritdoc/>
    public override string GradFn => "DivBackward";

    /// <inheritdoc/>
    protected override bool AcceptsInt64 => false;

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad / node.Input(1), -grad * node.Input(0) / (node.Input(1) * node.Input(1))];
}
