namespace Graph.Core.Operations;

/// <summary>Elementwise rectifier <c>max(x, 0)</c>; <c>dx = grad · [y &gt; 0]</c> (0 at the kink, as PyTorch).</summary>
internal sealed class Relu : UnaryElementwiseOp
{
    private Relu()
    {
    }

    /// <summary>The op.</summary>
    public static Relu Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "relu";

    /// <inheritdoc/>
    public override string GradFn => "ReluBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * node.Step()];
}
