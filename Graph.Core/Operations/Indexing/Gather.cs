namespace Graph.Core.Operations;

/// <summary>
/// <c>y[..., j, ...] = x[..., indices[..., j, ...], ...]</c> along attribute <c>axis</c>, like <c>torch.gather</c>: the
/// output has the indices' shape, whose sizes on every other axis are at most x's (the first entries are read). An index outside [0, n) fails at run
/// time, naming the node and the index. The gradient scatter-adds back (<see cref="ScatterAdd"/>), so repeated indices sum.
/// </summary>
internal sealed class Gather : OpDef
{
    private Gather()
    {
    }

    /// <summary>The op.</summary>
    public static Gather Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "gather";

    /// <inheritdoc/>
    public override string GradFn => "GatherBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axis"];

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType x = inputs[0], indices = inputs[1];
        IndexRules.RequireData(x);
        IndexRules.RequireInt64(indices);
        if (x.Shape.Rank == 0)
        {
            throw new OpRuleException("the input is a scalar; gather needs an axis to gather along");
        }

        int axis = ShapeRules.CanonicalAxis(attributes, "axis", x.Shape.Rank);
        IndexRules.RequireFitsExceptAxis(x.Shape, indices.Shape, axis, "the input");
        return new TensorType(indices.Shape, x.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        return [ScatterAdd.Apply(grad, node.Input(1), node.Attributes.GetInt("axis"), node.Input(0).Shape), null];
    }

    /// <summary>The op on <paramref name="x"/> along the canonical <paramref name="axis"/>.</summary>
    internal static Value Apply(Value x, Value indices, int axis) => x.Builder.Apply(Instance, OpAttributes.Empty.With("axis", axis), x, indices);
}
