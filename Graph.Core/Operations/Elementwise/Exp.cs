namespace Graph.Core.Operations;

/// <summary>Elementwise natural exponent, <c>y = e^x</c>. Its gradient reuses the result: <c>dx = grad · y</c>.</summary>
internal sealed class Exp : UnaryElementwiseOp
{
    private Exp()
    {
    }

    /// <summary>The op.</summary>
    public static Exp Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "exp";

    /// <inheritdoc/>
    public override string GradFn => "ExpBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * node];
}
