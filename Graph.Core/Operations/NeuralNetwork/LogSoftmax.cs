namespace Graph.Core.Operations;

/// <summary>Log-softmax along attribute <c>axis</c>, <c>x − logΣexp(x)</c> computed stably; <c>dx = grad − e^y · Σ grad</c>.</summary>
internal sealed class LogSoftmax : OpDef
{
    private LogSoftmax()
    {
    }

    /// <summary>The op.</summary>
    public static LogSoftmax Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "log_softmax";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axis"];

    /// <inheritdoc/>
    public override string GradFn => "LogSoftmaxBackward";

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
        return [grad - (node.Exp() * grad.Sum([axis], keepDim: true))];
    }
}
