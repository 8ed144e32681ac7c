namespace Graph.Core.Operations;

/// <summary>Elementwise difference <c>a − b</c> with broadcasting.</summary>
internal sealed class Sub : BinaryElementwiseOp
{
    private Sub()
    {
    }

    /// <summary>The op.</summary>
    public static Sub Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "sub";

    /// <inheritdoc/>
    public override string GradFn => "SubBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad, -grad];
}
