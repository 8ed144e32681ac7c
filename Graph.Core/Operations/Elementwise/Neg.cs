namespace Graph.Core.Operations;

/// <summary>Elementwise negation, <c>y = -x</c>.</summary>
internal sealed class Neg : UnaryElementwiseOp
{
    private Neg()
    {
    }

    /// <summary>The op.</summary>
    public static Neg Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "neg";

    /// <inheritdoc/>
    public override string GradFn => "NegBackward";

    /// <inheritdoc/>
    protected override bool AcceptsInt64 => true;

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [-grad];
}
