namespace Graph.Core.Operations;

/// <summary>Joins its operands along attribute <c>axis</c>, like <c>torch.cat</c>; each operand's gradient is its slice of <c>grad</c>.</summary>
internal sealed class Concat : OpDef
{
    private Concat()
    {
    }

    /// <summary>The op.</summary>
    public static Concat Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "concat";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axis"];

    /// <inheritdoc/>
    public override string GradFn => "CatBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override bool IsVariadic => true;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType first = inputs[0];
        int axis = ShapeRules.CanonicalAxis(attributes, "axis", Math.Max(first.Shape.Rank, 1));
        if (first.Shape.Rank == 0)
        {
            throw new OpRuleException("scalars cannot be concatenated; reshape them to [1] first");
        }

        int[] dims = first.Shape.ToArray();
        long joined = dims[axis]; // in long: the sizes of many operands can sum past int
        for (int i = 1; i < inputs.Length; i++)
        {
            ShapeRules.RequireSameDType(first, inputs[i]);
            Shape s = inputs[i].Shape;
            if (s.Rank != first.Shape.Rank)
            {
                throw new OpRuleException($"operand {i} has rank {s.Rank} but operand 0 has rank {first.Shape.Rank}; all operands need the same rank");
            }

            for (int d = 0; d < s.Rank; d++)
            {
                if (d != axis && s[d] != first.Shape[d])
                {
                    throw new OpRuleException($"operand {i} {s} differs from operand 0 {first.Shape} in dimension {d}; only the concatenation axis {axis} may differ");
                }
            }

            joined += s[axis];
        }

        dims[axis] = Dimensions.Checked(joined, $"the joined size of axis {axis} ({inputs.Length} operands)");

        return new TensorType(new Shape(dims), first.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        int axis = node.Attributes.GetInt("axis");
        var grads = new Value?[node.Inputs.Count];
        int start = 0;
        for (int i = 0; i < grads.Length; i++)
        {
            int size = node.Input(i).Shape[axis];
            grads[i] = Ops.Slice(grad, axis, start, start + size);
            start += size;
        }

        return grads;
    }
}
