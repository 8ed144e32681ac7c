namespace Graph.Core.Operations;

/// <summary>
/// Elementwise <c>condition ? a : b</c> with broadcasting of all three, like <c>torch.where</c>; the condition is bool,
/// <c>a</c> and <c>b</c> share a dtype. The gradient goes to <c>a</c> where the condition holds and to <c>b</c> elsewhere;
/// the condition gets none.
/// </summary>
internal sealed class Where : OpDef
{
    private Where()
    {
    }

    /// <summary>The op.</summary>
    public static Where Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "where";

    /// <inheritdoc/>
    public override string GradFn => "WhereBackward";

    /// <inheritdoc/>
    public override int Arity => 3;

    /// <inheritdoc/>
    internal override bool BroadcastsOperands => true;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (inputs[0].DType != DType.Bool)
        {
            throw new OpRuleException($"the condition is {inputs[0].DType.Name()}, but where needs a bool condition; build it with a comparison such as Equal, or Cast(DType.Bool)");
        }

        if (inputs[1].DType != inputs[2].DType)
        {
            throw new OpRuleException($"a is {inputs[1].DType.Name()} and b is {inputs[2].DType.Name()}; cast one so both share a dtype");
        }

        Shape shape = ShapeRules.Broadcast(ShapeRules.Broadcast(inputs[0].Shape, inputs[1].Shape), inputs[2].Shape);
        return new TensorType(shape, inputs[1].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value condition = node.Input(0);
        Value zero = grad.ScalarOf(0.0);
        return [null, Ops.Where(condition, grad, zero), Ops.Where(condition, zero, grad)];
    }
}
