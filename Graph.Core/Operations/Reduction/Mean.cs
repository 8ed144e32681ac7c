namespace Graph.Core.Operations;

/// <summary>Mean over <c>axes</c>, keeping them as size 1 when <c>keep_dim</c>; <c>dx = grad / n</c> spread back over them.</summary>
internal sealed class Mean : OpDef
{
    private Mean()
    {
    }

    /// <summary>The op.</summary>
    public static Mean Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "mean";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axes", "keep_dim"];

    /// <inheritdoc/>
    public override string GradFn => "MeanBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0]);
        return ReductionAttributes.Infer(inputs[0], attributes);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) =>
        [ReductionAttributes.Expand(node, CountScaling.OverCount(grad, node.Input(0), node.Attributes.GetInts("axes")))];
}
