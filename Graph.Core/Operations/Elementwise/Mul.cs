namespace Graph.Core.Operations;

/// <summary>Elementwise product <c>a · b</c> with broadcasting.</summary>
internal sealed class Mul : BinaryElementwiseOp
{
    private Mul()
    {
    }

    /// <summary>The op.</summary>
    public static Mul Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "mul";

    /// <inheritdoc/>
    public override string GradFn => "MulBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * node.Input(1), grad * node.Input(0)];
}
