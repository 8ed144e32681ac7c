namespace Graph.Core.Operations;

/// <summary>Reorders the axes: output axis i is input axis <c>dims[i]</c>; the gradient applies the inverse permutation.</summary>
internal sealed class Permute : OpDef
{
    private Permute()
    {
    }

    /// <summary>The op.</summary>
    public static Permute Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "permute";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["dims"];

    /// <inheritdoc/>
    public override string GradFn => "PermuteBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <summary>The output shape for <paramref name="dims"/> (normalized), checking it is a permutation.</summary>
    internal static Shape Apply(Shape input, int[] dims)
    {
        if (dims.Length != input.Rank)
        {
            throw new OpRuleException($"permutation [{string.Join(", ", dims)}] has {dims.Length} axes but the operand has rank {input.Rank}; name every axis once");
        }

        var seen = new bool[dims.Length];
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            int d = dims[i];
            ShapeRules.RequireCanonicalAxis("dims", d, input.Rank);
            if (seen[d])
            {
                throw new OpRuleException($"[{string.Join(", ", dims)}] is not a permutation: axis {d} appears twice");
            }

            seen[d] = true;
            shape[i] = input[d];
        }

        return new Shape(shape);
    }

    /// <summary>The permutation that undoes <paramref name="dims"/>.</summary>
    internal static int[] Inverse(int[] dims)
    {
        var inverse = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            inverse[dims[i]] = i;
        }

        return inverse;
    }

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) =>
        new(Apply(inputs[0].Shape, attributes.GetInts("dims")), inputs[0].DType);

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad.Permute(Inverse(node.Attributes.GetInts("dims")))];
}
