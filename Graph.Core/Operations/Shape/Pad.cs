namespace Graph.Core.Operations;

/// <summary>Adds <c>before</c> and <c>after</c> zeros along <c>axis</c>; the gradient is the middle slice of <c>grad</c>.</summary>
internal sealed class Pad : OpDef
{
    private Pad()
    {
    }

    /// <summary>The op.</summary>
    public static Pad Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "pad";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["after", "axis", "before"];

    /// <inheritdoc/>
    public override string GradFn => "ConstantPadNdBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        Shape s = inputs[0].Shape;
        int axis = ShapeRules.CanonicalAxis(attributes, "axis", s.Rank);
        int before = attributes.GetInt("before");
        int after = attributes.GetInt("after");
        if (before < 0 || after < 0)
        {
            throw new OpRuleException($"padding ({before}, {after}) is negative; use Slice to remove elements");
        }

        int[] dims = s.ToArray();
        dims[axis] = Dimensions.Checked((long)dims[axis] + before + after, $"the padded size of axis {axis} ({dims[axis]} + {before} + {after})");
        return new TensorType(new Shape(dims), inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        int axis = node.Attributes.GetInt("axis");
        int before = node.Attributes.GetInt("before");
        return [Ops.Slice(grad, axis, before, before + node.Input(0).Shape[axis])];
    }
}
