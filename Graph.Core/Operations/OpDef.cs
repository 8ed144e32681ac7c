namespace Graph.Core.Operations;

/// <summary>
/// Everything the compiler needs to know about one operation, in one place: its stable name, its
/// attributes (read by <see cref="InferType"/>), its shape and dtype rule, and its gradient rule.
/// Its kernels live in one place in Graph.Runtime, keyed by <see cref="Name"/>.
/// </summary>
public abstract class OpDef
{
    /// <summary>Ops are defined in this assembly only: each needs its kernels in Graph.Runtime and a line in the registry.</summary>
    private protected OpDef()
    {
    }

    /// <summary>Stable identifier, written into .graph files. Never renamed: an op that changes meaning gets a new name.</summary>
    public abstract string Name { get; }

    /// <summary>The name PyTorch users know from <c>grad_fn</c>, such as <c>MulBackward</c>.</summary>
    public abstract string GradFn { get; }

    /// <summary>How many inputs the op takes: exactly this many, or at least one when <see cref="IsVariadic"/>.</summary>
    public abstract int Arity { get; }

    /// <summary>True when the op takes any number (at least one) of inputs, like concat.</summary>
    public virtual bool IsVariadic => false;

    /// <summary>False for ops whose outputs never carry a gradient (comparisons, masks, index ops).</summary>
    public virtual bool IsDifferentiable => true;

    /// <summary>
    /// The names of the attributes the op reads; a node with any other attribute is refused when it is built or
    /// loaded. The op's <see cref="InferType"/> requires the ones it needs and holds each to the one form the
    /// builder writes (normalized axes, resolved sizes), so that a kernel never meets another form.
    /// </summary>
    public virtual IReadOnlyCollection<string> AttributeNames { get; } = [];

    /// <summary>What the memory planner and fuser may assume about the op.</summary>
    public virtual OpTraits Traits => OpTraits.None;

    /// <summary>
    /// The output type from the input types and attributes. Throws with a reason (and how to fix it) when
    /// the inputs do not fit; the builder adds the node's and operands' names and shapes to the message.
    /// </summary>
    public abstract TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes);

    /// <summary>
    /// The vector-Jacobian product, built as ordinary graph nodes: for each input, the gradient contribution
    /// given the forward <paramref name="node"/> (its inputs, attributes and result) and the incoming
    /// <paramref name="grad"/> (same type as the node). Null where an input gets no gradient. A contribution
    /// may have the broadcast shape; the differentiation pass sums it back to the input's shape.
    /// </summary>
    public abstract Value?[] Gradient(Value node, Value grad);

    /// <summary>
    /// True for ops that broadcast their operands against each other (elementwise ops): where two operands have a
    /// dynamic size at the same axis, a session requires the sizes it is given to be equal there, since the
    /// gradient rules were built for equal shapes.
    /// </summary>
    internal virtual bool BroadcastsOperands => false;

    /// <summary>
    /// The attributes for concrete <paramref name="inputs"/> when a session fixes a dynamic graph's sizes: ops whose
    /// attributes hold sizes (reshape, sum_to, broadcast_to) fill in their -1 ones; the others keep theirs.
    /// </summary>
    internal virtual OpAttributes Specialize(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) => attributes;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
