namespace Graph.Core.Operations;

/// <summary>
/// The entries <c>indices[j]</c> of <c>x</c> along attribute <c>axis</c>, like <c>torch.index_select</c>: x of shape
/// [..., n, ...] and int64 indices [k] give [..., k, ...]. An index outside [0, n) fails at run time, naming the node and the index.
/// The gradient adds each incoming slice back into the row it came from (<see cref="IndexAdd"/>), so repeated indices sum.
/// </summary>
internal sealed class IndexSelect : OpDef
{
    private IndexSelect()
    {
    }

    /// <summary>The op.</summary>
    public static IndexSelect Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "index_select";

    /// <inheritdoc/>
    public override string GradFn => "IndexSelectBackward";

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
            throw new OpRuleException("the input is a scalar; index_select needs an axis to select along");
        }

        int axis = ShapeRules.CanonicalAxis(attributes, "axis", x.Shape.Rank);
        if (indices.Shape.Rank != 1)
        {
            throw new OpRuleException($"the indices {indices.Shape} must be 1-D; reshape them with .Reshape(-1)");
        }

        return new TensorType(IndexRules.WithAxis(x.Shape, axis, indices.Shape[0]), x.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        int axis = node.Attributes.GetInt("axis");
        return [IndexAdd.Apply(grad, node.Input(1), axis, node.Input(0).Shape[axis]), null];
    }

    /// <summary>The op on <paramref name="x"/> along the canonical <paramref name="axis"/>.</summary>
    internal static Value Apply(Value x, Value indices, int axis) => x.Builder.Apply(Instance, OpAttributes.Empty.With("axis", axis), x, indices);
}
