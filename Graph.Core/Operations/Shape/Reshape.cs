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

    /// <summary>The size a target shape leaves to be inferred from the element count.</summary>
    public const int Inferred = -1;

    /// <summary>
    /// Resolves one −1 in <paramref name="dims"/> against <paramref name="input"/>'s element count. When the input is
    /// dynamic, the −1 stays: the result is dynamic there, resolved when a session fixes the sizes.
    /// </summary>
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
        if (inferred >= 0 && !input.IsDynamic)
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
    internal override OpAttributes Specialize(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) =>
        attributes.With("shape", Resolve(inputs[0].Shape, attributes.GetInts("shape")));

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        int[] dims = attributes.GetInts("shape");
        var shape = new Shape(dims);
        if (inputs[0].Shape.IsDynamic || shape.IsDynamic)
        {
            // The element counts are compared when a session fixes the sizes; the target keeps at most one dynamic size.
            if (!inputs[0].Shape.IsDynamic || dims.Count(d => d == Inferred) > 1)
            {
                throw new OpRuleException($"cannot reshape {inputs[0].Shape} to {shape}: a -1 in the stored target stands for the one dynamic size of a dynamic input, and a dynamic input's target may hold only one. Reshape to at most one -1");
            }

            return new TensorType(shape, inputs[0].DType);
        }

        if (shape.ElementCount != inputs[0].Shape.ElementCount)
        {
            throw new OpRuleException($"cannot reshape {inputs[0].Shape} ({inputs[0].Shape.ElementCount} elements) to {shape} ({shape.ElementCount} elements); the element counts must match");
        }

        return new TensorType(shape, inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad.Reshape(node.Input(0).Shape.ToArray())];
}
