using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>
/// A symbolic tensor: a node of the graph. A value is a leaf (an input, a parameter, a constant) or the
/// result of one op applied to other values. Its shape and dtype are known as soon as it is built.
/// </summary>
public sealed partial class Value
{
    private readonly Value[] _inputs;

    internal Value(GraphBuilder builder, int id, string name, ValueKind kind, OpDef? op, Value[] inputs, OpAttributes attributes, TensorType type, bool requiresGrad, Tensor? data, string? source = null)
    {
        Source = source;
        Builder = builder;
        Id = id;
        Name = name;
        Kind = kind;
        Op = op;
        _inputs = inputs;
        Attributes = attributes;
        Type = type;
        RequiresGrad = requiresGrad;
        Data = data;
    }

    /// <summary>The value's index in its graph; ids are dense and in topological order.</summary>
    public int Id { get; }

    /// <summary>The unique name: given by the user, or made up from the op, like <c>mul_3</c>.</summary>
    public string Name { get; private set; }

    /// <summary>
    /// Where the user built the value: the C# file name and line of the call (<c>Model.cs:42</c>), taken with
    /// caller information by every builder method, <see cref="Ops"/> function and module; a value a gradient rule
    /// builds is <c>backward of mul at Model.cs:42</c>, after the forward value it differentiates. Operators
    /// (<c>a + b</c>) cannot take caller information: they record the location of the innermost call around them
    /// that has one (an <see cref="Ops"/> function, a module's forward), or nothing. Null when nothing is known.
    /// </summary>
    public string? Source { get; }

    /// <summary>Where the data comes from.</summary>
    public ValueKind Kind { get; }

    /// <summary>The op that computes the value; null for leaves.</summary>
    public OpDef? Op { get; }

    /// <summary>The op's operands; empty for leaves.</summary>
    public IReadOnlyList<Value> Inputs => _inputs;

    /// <summary>The op's static arguments.</summary>
    public OpAttributes Attributes { get; }

    /// <summary>Shape and dtype.</summary>
    public TensorType Type { get; }

    /// <summary>The dimensions.</summary>
    public Shape Shape => Type.Shape;

    /// <summary>The element type.</summary>
    public DType DType => Type.DType;

    /// <summary>True for inputs, parameters, constants and gradient seeds.</summary>
    public bool IsLeaf => Kind != ValueKind.Operation;

    /// <summary>
    /// Whether a gradient flows to or through this value, as PyTorch's <c>requires_grad</c>: set by the user
    /// on leaves; on op results, true when some operand requires it, the op is differentiable, and the value
    /// was not built inside <see cref="GraphBuilder.NoGrad"/> or by <see cref="Detach"/>.
    /// </summary>
    public bool RequiresGrad { get; }

    /// <summary>
    /// The backward function's name, as PyTorch's <c>grad_fn</c> (<c>"MulBackward"</c>, <c>"SumBackward"</c>);
    /// null for leaves and for values that need no gradient.
    /// </summary>
    public string? GradFn => Op is not null && RequiresGrad ? Op.GradFn : null;

    /// <summary>The builder that owns this value.</summary>
    internal GraphBuilder Builder { get; }

    /// <summary>A parameter's initial value or a constant's data; null otherwise.</summary>
    internal Tensor? Data { get; }

    /// <summary>Operand <paramref name="index"/>, without the list interface.</summary>
    internal Value Input(int index) => _inputs[index];

    /// <summary>Renames the value in place and returns it.</summary>
    /// <exception cref="ArgumentException">Another value of the graph has that name, or the name is empty.</exception>
    /// <exception cref="InvalidOperationException">The graph has been built.</exception>
    public Value Named(string name)
    {
        Builder.Rename(this, name);
        Name = name;
        return this;
    }

    /// <summary>Prints as <c>mul_3: float32[2, 3]</c>.</summary>
    public override string ToString() => $"{Name}: {Type}";

    /// <summary>The name and, when known, where it was built: <c>'mul_3' (Model.cs:42)</c>, as error messages cite a value.</summary>
    internal string Cited => Source is null ? $"'{Name}'" : $"'{Name}' ({Source})";
}
