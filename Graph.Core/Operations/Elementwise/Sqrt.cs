namespace Graph.Core.Operations;

/// <summary>Elementwise square root; <c>dx = grad / (2y)</c>.</summary>
internal sealed class Sqrt : UnaryElementwiseOp
{
    private Sqrt()
    {
    }

    /// <summary>The op.</summary>
    public static Sqrt Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "sqrt";

    /// <inheritdoc/>
    public override string GradFn => "SqrtBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad / (node * 2.0)];
}
