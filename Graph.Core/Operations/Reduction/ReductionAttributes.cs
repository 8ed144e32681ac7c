namespace Graph.Core.Operations;

/// <summary>The attributes every reduction over a set of axes shares: <c>axes</c> (normalized, sorted) and <c>keep_dim</c>.</summary>
internal static class ReductionAttributes
{
    public static OpAttributes Create(int[] axes, bool keepDim) =>
        OpAttributes.Empty.With("axes", axes).With("keep_dim", keepDim);

    /// <summary>The reduced type, validating the axes against the input's rank.</summary>
    public static TensorType Infer(TensorType input, OpAttributes attributes)
    {
        int[] axes = attributes.GetInts("axes");
        int[] normalized = ShapeRules.NormalizeAxes(axes, input.Shape.Rank);
        if (!normalized.AsSpan().SequenceEqual(axes))
        {
            throw new OpRuleException($"axes [{string.Join(", ", axes)}] must be sorted, distinct and non-negative");
        }

        return new TensorType(ShapeRules.Reduce(input.Shape, axes, attributes.GetBool("keep_dim")), input.DType);
    }

    /// <summary>The number of input elements that make one output element.</summary>
    public static long ReducedCount(Value node)
    {
        long count = 1;
        foreach (int axis in node.Attributes.GetInts("axes"))
        {
            count *= node.Input(0).Shape[axis];
        }

        return count;
    }

    /// <summary>
    /// <paramref name="grad"/> (of the reduced shape) spread back over the input's shape: reinsert the
    /// reduced axes as size 1, then broadcast.
    /// </summary>
    public static Value Expand(Value node, Value grad)
    {
        Shape input = node.Input(0).Shape;
        Shape kept = ShapeRules.Reduce(input, node.Attributes.GetInts("axes"), keepDim: true);
        return grad.Reshape(kept.ToArray()).ExpandAs(node.Input(0));
    }
}
