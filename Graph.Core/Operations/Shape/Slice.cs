namespace Graph.Core.Operations;

/// <summary>Elements <c>start</c> to <c>end</c> (exclusive) along <c>axis</c>, like <c>x.narrow</c>; the gradient is <c>grad</c> padded with zeros.</summary>
internal sealed class Slice : OpDef
{
    private Slice()
    {
    }

    /// <summary>The op.</summary>
    public static Slice Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "slice";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axis", "end", "start"];

    /// <inheritdoc/>
    public override string GradFn => "SliceBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        Shape s = inputs[0].Shape;
        int axis = ShapeRules.CanonicalAxis(attributes, "axis", s.Rank);
        int start = attributes.GetInt("start");
        int end = attributes.GetInt("end");
        if (start < 0 || end > s[axis] || start > end)
        {
            throw new OpRuleException($"slice [{start}, {end}) does not fit axis {axis} of size {s[axis]}; use 0 <= start <= end <= {s[axis]}");
        }

        int[] dims = s.ToArray();
        dims[axis] = end - start;
        return new TensorType(new Shape(dims), inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        int axis = node.Attributes.GetInt("axis");
        int start = node.Attributes.GetInt("start");
        int after = node.Input(0).Shape[axis] - node.Attributes.GetInt("end");
        return [Ops.Pad(grad, axis, start, after)];
    }
}
