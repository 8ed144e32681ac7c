namespace Graph.Core.Operations;

/// <summary>Elementwise <c>a == b</c> with broadcasting, as a bool tensor. Not differentiable.</summary>
internal sealed class Equal : NonDifferentiableOp
{
    private Equal()
    {
    }

    /// <summary>The op.</summary>
    public static Equal Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "equal";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    internal override bool BroadcastsOperands => true;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireSameDType(inputs[0], inputs[1]);
        return new TensorType(ShapeRules.Broadcast(inputs[0].Shape, inputs[1].Shape), DType.Bool);
    }
}
