namespace Graph.Core.Operations;

/// <summary>Elementwise sum <c>a + b</c> with broadcasting.</summary>
internal sealed class Add : BinaryElementwiseOp
{
    private Add()
    {
    }

    /// <summary>The op.</summary>
    public static Add Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "add";

    /// <inheritdoc/>
    public override string GradFn => "AddBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad, grad];
}
