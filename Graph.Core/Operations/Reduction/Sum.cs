namespace Graph.Core.Operations;

/// <summary>Sum over <c>axes</c>, keeping them as size 1 when <c>keep_dim</c>; the gradient spreads <c>grad</c> back over them.</summary>
internal sealed class Sum : OpDef
{
    private Sum()
    {
    }

    /// <summary>The op.</summary>
    public static Sum Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "sum";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axes", "keep_dim"];

    /// <inheritdoc/>
    public override string GradFn => "SumBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (inputs[0].DType == DType.Bool)
        {
            throw new OpRuleException("sum of a bool tensor is not defined here; cast it with .Cast(DType.Int64) first");
        }

        return ReductionAttributes.Infer(inputs[0], attributes);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [ReductionAttributes.Expand(node, grad)];
}
