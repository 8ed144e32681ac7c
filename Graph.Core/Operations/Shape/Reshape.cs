namespace Graph.Core.Operations;

/// <summary>The same elements in row-major order under attribute <c>shape</c> (fully resolved, no −1); the gradient is reshaped back.</summary>
internal sealed class Reshape : OpDef
{
    private Reshape()
    {
    }

    /// <summary>The op.</summary>
    public static Reshape Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "reshape";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["shape"];

    /// <inheritdoc/>
    public override string GradFn => "ViewBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override OpTraits Traits => OpTraits.Alias;

    /// <summary>Resolves one −1 in <paramref name="dims"/> against <paramref name="input"/>'s element count.</summary>
    public static int[] Resolve(Shape input, int[] dims)
    {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new OpRuleException($"shape [{string.Join(", ", dims)}] has more than one -1; at most one size can be inferred");
                }

                inferred = i;
            }
            else if (dims[i] < 0)
            {
                throw new OpRuleException($"shape [{string.Join(", ", dims)}] has a negative size; sizes are 0 or more, or one -1");
            }
            else
            {
                known *= dims[i];
            }
        }

        int[] resolved = (int[])dims.Clone();
        if (inferred >= 0)
        {
            if (known == 0 || input.ElementCount % known != 0)
            {
                throw new OpRuleException($"shape [{string.Join(", ", dims)}] is invalid for an input of {input.ElementCount} elements {input}");
            }

            resolved[inferred] = (int)(input.ElementCount / known);
        }

        return resolved;
    }

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        var shape = new Shape(attributes.GetInts("shape"));
        if (shape.ElementCount != inputs[0].Shape.ElementCount)
        {
            throw new OpRuleException($"cannot reshape {inputs[0].Shape} ({inputs[0].Shape.ElementCount} elements) to {shape} ({shape.ElementCount} elements); the element counts must match");
        }

        return new TensorType(shape, inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad.Reshape(node.Input(0).Shape.ToArray())];
}
