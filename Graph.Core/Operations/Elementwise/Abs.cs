namespace Graph.Core.Operations;

/// <summary>Elementwise absolute value; <c>dx = grad · sign(x)</c> (0 at 0, as PyTorch).</summary>
internal sealed class Abs : UnaryElementwiseOp
{
    private Abs()
    {
    }

    /// <summary>The op.</summary>
    public static Abs Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "abs";

    /// <inheritdoc/>
    public override string GradFn => "AbsBackward";

    /// <inheritdoc/>
    protected override bool AcceptsInt64 => true;

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * node.Input(0).Sign()];
}
