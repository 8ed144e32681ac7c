namespace Graph.Core.Operations;

/// <summary>
/// Base of ops whose outputs never carry a gradient (comparisons, masks, index ops), like PyTorch's
/// <c>non_differentiable</c>. The builder never marks their outputs as requiring a gradient, so the
/// differentiation pass never asks them for one.
/// </summary>
internal abstract class NonDifferentiableOp : OpDef
{
    /// <inheritdoc/>
    public sealed override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override string GradFn => string.Empty;

    /// <inheritdoc/>
    public sealed override Value?[] Gradient(Value node, Value grad) =>
        throw new InvalidOperationException($"'{Name}' is not differentiable; its outputs carry no gradient.");
}
