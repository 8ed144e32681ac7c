namespace Graph.Core.Operations;

/// <summary>The same data with no gradient history, like <c>tensor.detach()</c>: gradients stop here.</summary>
internal sealed class Detach : NonDifferentiableOp
{
    private Detach()
    {
    }

    /// <summary>The op.</summary>
    public static Detach Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "detach";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override OpTraits Traits => OpTraits.Alias;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) => inputs[0];
}
