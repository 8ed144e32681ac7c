namespace Graph.Core.Operations;

/// <summary>Softmax along attribute <c>axis</c>, computed stably (the maximum is subtracted first); <c>dx = y · (grad − Σ grad·y)</c>.</summary>
internal sealed class Softmax : OpDef
{
    private Softmax()
    {
    }

    /// <summary>The op.</summary>
    public static Softmax Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "softmax";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axis"];

    /// <inheritdoc/>
    public override string GradFn => "SoftmaxBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0]);
        _ = ShapeRules.CanonicalAxis(attributes, "axis", inputs[0].Shape.Rank);
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        int axis = node.Attributes.GetInt("axis");
        return [node * (grad - (grad * node).Sum([axis], keepDim: true))];
    }
}
