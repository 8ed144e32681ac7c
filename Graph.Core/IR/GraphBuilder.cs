using System.Runtime.CompilerServices;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>
/// Builds a graph once: declare inputs, parameters and constants, apply ops to them (through
/// <see cref="Value"/>'s operators and methods and <see cref="Ops"/>), then <see cref="Build"/>.
/// Every op checks and infers its shape and dtype as it is built.
/// </summary>
public sealed partial class GraphBuilder
{
    private readonly List<Value> _values = [];
    private readonly Dictionary<string, Value> _byName = new(StringComparer.Ordinal);
    private int _noGradDepth;
    private string? _source;
    private bool _built;

    /// <summary>Declares an input fed by <c>Session.SetInput</c> before each forward pass.</summary>
    /// <param name="name">The input's unique name.</param>
    /// <param name="shape">The shape every fed tensor must have.</param>
    /// <param name="dtype">The element type every fed tensor must have.</param>
    /// <param name="requiresGrad">Whether the session keeps a gradient for this input, like a leaf with requires_grad.</param>
    /// <exception cref="GraphBuildException">A tensor of this shape and dtype would be larger than one tensor holds, or the input cannot require a gradient.</exception>
    /// <param name="sourceFile">The caller's file, filled in by the compiler (<see cref="Value.Source"/>).</param>
    /// <param name="sourceLine">The caller's line, filled in by the compiler.</param>
    public Value Input(string name, Shape shape, DType dtype = DType.Float32, bool requiresGrad = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using SourceScope source = At(sourceFile, sourceLine);
        CheckLeafGrad(name, dtype, requiresGrad);
        return AddLeaf(name, ValueKind.Input, new TensorType(shape, dtype), requiresGrad, data: null);
    }

    /// <summary>Declares a parameter: persistent state a session owns, starting at <paramref name="initialValue"/> (copied).</summary>
    /// <param name="name">The parameter's unique name, as in a PyTorch state_dict (<c>fc.weight</c>).</param>
    /// <param name="initialValue">The starting value; its shape and dtype are the parameter's.</param>
    /// <param name="requiresGrad">False for frozen parameters and running statistics.</param>
    /// <param name="sourceFile">The caller's file, filled in by the compiler (<see cref="Value.Source"/>).</param>
    /// <param name="sourceLine">The caller's line, filled in by the compiler.</param>
    public Value Parameter(string name, Tensor initialValue, bool requiresGrad = true, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using SourceScope source = At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(initialValue);
        CheckLeafGrad(name, initialValue.DType, requiresGrad);
        return AddLeaf(name, ValueKind.Parameter, new TensorType(initialValue.Shape, initialValue.DType), requiresGrad, initialValue.Clone());
    }

    /// <summary>Declares a constant baked into the graph (copied).</summary>
    /// <param name="value">The constant's value.</param>
    /// <param name="name">Its unique name; null makes one up (<c>const_3</c>).</param>
    /// <param name="sourceFile">The caller's file, filled in by the compiler (<see cref="Value.Source"/>).</param>
    /// <param name="sourceLine">The caller's line, filled in by the compiler.</param>
    public Value Constant(Tensor value, string? name = null, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using SourceScope source = At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(value);
        return AddLeaf(name ?? UniqueName("const"), ValueKind.Constant, new TensorType(value.Shape, value.DType), requiresGrad: false, value.Clone());
    }

    /// <summary>
    /// A scope, like <c>torch.no_grad()</c>, in which built values do not require a gradient. Dispose it
    /// (a <c>using</c> block) to end it. Scopes nest.
    /// </summary>
    public IDisposable NoGrad()
    {
        _noGradDepth++;
        return new NoGradScope(this);
    }

    /// <summary>Freezes the graph. The builder takes no more values after this.</summary>
    public ComputeGraph Build()
    {
        ThrowIfBuilt();
        _built = true;
        return new ComputeGraph(_values.ToArray());
    }

    /// <summary>
    /// A builder that continues <paramref name="graph"/>: it holds copies of its values, with the same ids and
    /// names, so that passes (differentiation, rewrites) add nodes without touching the user's graph. With
    /// <paramref name="replacement"/>, every operand with id i is read as the value with id replacement[i] instead
    /// (which must not be later than i): how a rewrite redirects the uses of a value and leaves it to dead-code elimination.
    /// </summary>
    internal static GraphBuilder Extend(ComputeGraph graph, IReadOnlyList<int>? replacement = null)
    {
        var builder = new GraphBuilder();
        foreach (Value v in graph.Values)
        {
            var inputs = new Value[v.Inputs.Count];
            for (int i = 0; i < inputs.Length; i++)
            {
                int id = v.Input(i).Id;
                inputs[i] = builder._values[replacement is null ? id : replacement[id]];
            }

            builder.Add(new Value(builder, v.Id, v.Name, v.Kind, v.Op, inputs, v.Attributes, v.Type, v.RequiresGrad, v.Data, v.Source));
        }

        return builder;
    }

    /// <summary>The value with id <paramref name="id"/>.</summary>
    internal Value ValueAt(int id) => _values[id];

    /// <summary>Adds a leaf fed by the session: a gradient seed, or (for a loaded file) any leaf.</summary>
    internal Value AddLeaf(string name, ValueKind kind, TensorType type, bool requiresGrad, Tensor? data, string? source = null)
    {
        ThrowIfBuilt();
        CheckName(name);
        if (SizeArithmetic.TooLargeForATensor(type) is { } tooLarge)
        {
            throw new GraphBuildException($"{kind.ToString().ToLowerInvariant()} '{name}'{AtSource}: {tooLarge}.");
        }

        return Add(new Value(this, _values.Count, name, kind, op: null, [], OpAttributes.Empty, type, requiresGrad, data, source ?? _source));
    }

    /// <summary>Applies <paramref name="op"/> to <paramref name="inputs"/>: checks arity, ownership, shapes and dtypes, and adds the node.</summary>
    /// <exception cref="GraphBuildException">The inputs or attributes do not fit the op; the message says why and how to fix it.</exception>
    internal Value Apply(OpDef op, OpAttributes attributes, params Value[] inputs) => Apply(op, () => attributes, inputs);

    /// <summary>
    /// Applies <paramref name="op"/> with attributes computed from the operands (normalized axes, resolved
    /// sizes); a rule broken while computing them is reported like a shape error.
    /// </summary>
    /// <exception cref="GraphBuildException">The inputs or attributes do not fit the op; the message says why and how to fix it.</exception>
    internal Value Apply(OpDef op, Func<OpAttributes> makeAttributes, params Value[] inputs) => Apply(op, makeAttributes, inputs, name: null);

    /// <summary>Applies <paramref name="op"/>; errors name the node <paramref name="name"/> (a loaded or rebuilt node's), or the name it would get.</summary>
    private Value Apply(OpDef op, Func<OpAttributes> makeAttributes, Value[] inputs, string? name)
    {
        ThrowIfBuilt();
        CheckArity(op, inputs);
        var types = new TensorType[inputs.Length];
        bool anyRequiresGrad = false;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!ReferenceEquals(inputs[i].Builder, this))
            {
                throw new GraphBuildException($"{op.Name}{AtSource}: operand '{inputs[i].Name}' belongs to another graph. Build every value of a graph with the same GraphBuilder.");
            }

            types[i] = inputs[i].Type;
            anyRequiresGrad |= inputs[i].RequiresGrad;
        }

        OpAttributes attributes;
        TensorType type;
        try
        {
            attributes = makeAttributes();
            RequireKnownAttributes(op, attributes);
            type = op.InferType(types, attributes);
            if (type.Shape.IsDynamic && !types.Any(t => t.Shape.IsDynamic))
            {
                // So a graph is dynamic exactly when a leaf is, and every size a session must fix comes from a tensor it is given.
                throw new OpRuleException($"the result {type} has a dynamic dimension (-1), but no operand has one: a dynamic size can only come from an input whose shape holds -1. Give every size of the target");
            }
        }
        catch (OpRuleException e)
        {
            throw new GraphBuildException($"{op.Name} '{name ?? UniqueName(op.Name)}'{AtSource}: {e.Message}. Operands: {DescribeOperands(inputs)}.", e);
        }
        catch (ArgumentException e) when (e is not GraphBuildException)
        {
            // A shape rule that builds an impossible Shape (too many elements) is a rule broken by these operands.
            throw new GraphBuildException($"{op.Name} '{name ?? UniqueName(op.Name)}'{AtSource}: {e.Message} Operands: {DescribeOperands(inputs)}.", e);
        }

        if (SizeArithmetic.TooLargeForATensor(type) is { } tooLarge)
        {
            throw new GraphBuildException($"{op.Name} '{name ?? UniqueName(op.Name)}'{AtSource}: its result {tooLarge}. Operands: {DescribeOperands(inputs)}.");
        }

        bool requiresGrad = anyRequiresGrad && op.IsDifferentiable && _noGradDepth == 0 && type.DType.IsFloatingPoint();
        return Add(new Value(this, _values.Count, UniqueName(op.Name), ValueKind.Operation, op, inputs, attributes, type, requiresGrad, data: null, _source));
    }

    /// <summary>
    /// Re-adds a node read from a file: <paramref name="op"/>'s shape rule is checked again, and the saved
    /// name and gradient flag are kept (they may come from NoGrad scopes the file does not record).
    /// </summary>
    /// <exception cref="GraphBuildException">The inputs or attributes do not fit the op.</exception>
    internal Value AddNode(OpDef op, OpAttributes attributes, Value[] inputs, string name, bool requiresGrad, string? source = null)
    {
        Value built;
        using (new SourceScope(this, _source, source ?? _source)) // so that an error cites where the node was built
        {
            built = Apply(op, () => attributes, inputs, name); // outside NoGrad, its flag is the most the inputs allow
        }

        if (requiresGrad && !built.RequiresGrad)
        {
            throw new GraphBuildException($"{op.Name} '{name}' is marked as requiring a gradient, but no operand requires one or the op is not differentiable.");
        }

        Rename(built, name);
        var node = new Value(this, built.Id, name, ValueKind.Operation, op, inputs, attributes, built.Type, requiresGrad, data: null, source ?? built.Source);
        _values[built.Id] = node;
        _byName[name] = node;
        return node;
    }

    /// <summary>Checks that <paramref name="name"/> can become <paramref name="value"/>'s name.</summary>
    internal void Rename(Value value, string name)
    {
        ThrowIfBuilt();
        if (_byName.TryGetValue(name, out Value? existing) && !ReferenceEquals(existing, value))
        {
            throw new ArgumentException($"The name '{name}' is taken by {existing}; names are unique within a graph.", nameof(name));
        }

        CheckName(name, allowTaken: true);
        _byName.Remove(value.Name);
        _byName[name] = value;
    }

    private static string DescribeOperands(Value[] inputs) =>
        inputs.Length == 0 ? "none" : string.Join(", ", inputs.Select(v => $"{v.Cited} {v.Type}"));

    // " at Model.cs:42" for the value being built, when its location is known.
    internal string AtSource => _source is null ? string.Empty : $" at {_source}";

    // The one check of attribute names, for built and loaded nodes alike; their values are the op's shape rule's to check.
    private static void RequireKnownAttributes(OpDef op, OpAttributes attributes)
    {
        foreach (string key in attributes.Values.Keys)
        {
            if (!op.AttributeNames.Contains(key))
            {
                string known = op.AttributeNames.Count == 0 ? "it takes none" : "it takes " + string.Join(", ", op.AttributeNames);
                throw new OpRuleException($"attribute '{key}' is not an attribute of {op.Name} ({known})");
            }
        }
    }

    private static void CheckArity(OpDef op, Value[] inputs)
    {
        bool fits = op.IsVariadic ? inputs.Length >= 1 : inputs.Length == op.Arity;
        if (!fits)
        {
            string expected = op.IsVariadic ? "at least 1" : op.Arity.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new GraphBuildException($"{op.Name} takes {expected} operand(s) but was given {inputs.Length}: {DescribeOperands(inputs)}.");
        }
    }

    private static void CheckLeafGrad(string name, DType dtype, bool requiresGrad)
    {
        if (requiresGrad && !dtype.IsFloatingPoint())
        {
            throw new GraphBuildException($"'{name}' is {dtype.Name()} and cannot require a gradient: only float32 and float64 values can. Pass requiresGrad: false.");
        }
    }

    private Value Add(Value value)
    {
        _values.Add(value);
        _byName.Add(value.Name, value);
        return value;
    }

    private void CheckName(string name, bool allowTaken = false)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A value's name must not be empty.", nameof(name));
        }

        if (!allowTaken && _byName.TryGetValue(name, out Value? existing))
        {
            throw new ArgumentException($"The name '{name}' is taken by {existing}; names are unique within a graph.", nameof(name));
        }
    }

    private string UniqueName(string prefix)
    {
        string name = $"{prefix}_{_values.Count}";
        for (int suffix = 1; _byName.ContainsKey(name); suffix++)
        {
            name = $"{prefix}_{_values.Count}_{suffix}";
        }

        return name;
    }

    private void ThrowIfBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("This GraphBuilder has built its graph, which is now immutable; start a new GraphBuilder to build another.");
        }
    }

    private sealed class NoGradScope(GraphBuilder builder) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                builder._noGradDepth--;
            }
        }
    }
}
