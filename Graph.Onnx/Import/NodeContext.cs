using Graph.Core;
using Graph.Onnx.Reading;
using Proto = global::Onnx;

namespace Graph.Onnx.Import;

/// <summary>
/// One ONNX node while it is converted: its inputs (as graph values, or as tensors known while importing), its
/// attributes read with their types checked, where its outputs go, and errors that name the node, op type and opset.
/// </summary>
internal sealed class NodeContext
{
    private readonly OnnxImporter _importer;
    private readonly Dictionary<string, Proto.AttributeProto> _attributes = new(StringComparer.Ordinal);

    public NodeContext(OnnxImporter importer, Proto.NodeProto node, int opset)
    {
        _importer = importer;
        Node = node;
        Opset = opset;
        foreach (Proto.AttributeProto attribute in node.Attribute)
        {
            if (!_attributes.TryAdd(attribute.Name, attribute))
            {
                throw Error($"attribute '{attribute.Name}' appears twice");
            }
        }
    }

    public Proto.NodeProto Node { get; }

    public int Opset { get; }

    public GraphBuilder Builder => _importer.Builder;

    /// <summary>How the node is cited: <c>node 'conv1' (Conv, opset 17)</c>.</summary>
    public string Cited => $"node '{Node.Name}' ({Node.OpType}, opset {Opset})";

    /// <summary>Whether input <paramref name="index"/> is given (ONNX marks an omitted optional input with an empty name).</summary>
    public bool Has(int index) => index < Node.Input.Count && Node.Input[index].Length > 0;

    /// <summary>Input <paramref name="index"/> as a graph value.</summary>
    public Value Input(int index) => _importer.ValueOf(InputName(index), this);

    /// <summary>Input <paramref name="index"/> when its data is known while importing (a constant, an integer initializer, a folded shape), else null.</summary>
    public Tensor? Known(int index) => Has(index) ? _importer.KnownOf(InputName(index), this) : null;

    /// <summary>Input <paramref name="index"/> as integers known while importing: a shape, axes, indices.</summary>
    public long[] KnownInts(int index, string role)
    {
        Tensor? known = Known(index);
        if (known is null || known.DType != DType.Int64 || known.Shape.Rank > 1)
        {
            throw Unsupported($"input {index} '{(Has(index) ? Node.Input[index] : string.Empty)}' ({role}) must be an int64 scalar or vector known while importing (a constant, an initializer, or shape arithmetic on static shapes)");
        }

        return known.ToArray<long>();
    }

    /// <summary>Whether every given input is known while importing and of dtype int64: the node is shape arithmetic to fold.</summary>
    public bool AllInputsKnownIntegers()
    {
        for (int i = 0; i < Node.Input.Count; i++)
        {
            if (Has(i) && Known(i) is not { DType: DType.Int64 })
            {
                return false;
            }
        }

        return Node.Input.Count > 0;
    }

    /// <summary>Sets output <paramref name="index"/> to a graph value.</summary>
    public void Output(Value value, int index = 0) => _importer.Define(OutputName(index), value, known: null);

    /// <summary>Sets output <paramref name="index"/> to a tensor known while importing.</summary>
    public void Output(Tensor known, int index = 0) => _importer.Define(OutputName(index), value: null, known);

    /// <summary>Refuses every output beyond the first <paramref name="count"/> that the model uses.</summary>
    public void RequireOutputsAtMost(int count)
    {
        for (int i = count; i < Node.Output.Count; i++)
        {
            if (Node.Output[i].Length > 0)
            {
                throw Unsupported($"output {i} '{Node.Output[i]}' is not supported; only the first {count} output(s) of {Node.OpType}");
            }
        }
    }

    public long Int(string name, long absent) => Attribute(name, Proto.AttributeProto.Types.AttributeType.Int)?.I ?? absent;

    public float Float(string name, float absent) => Attribute(name, Proto.AttributeProto.Types.AttributeType.Float)?.F ?? absent;

    public string String(string name, string absent) => Attribute(name, Proto.AttributeProto.Types.AttributeType.String)?.S.ToStringUtf8() ?? absent;

    public long[]? Ints(string name) => Attribute(name, Proto.AttributeProto.Types.AttributeType.Ints)?.Ints.ToArray();

    public float[]? Floats(string name) => Attribute(name, Proto.AttributeProto.Types.AttributeType.Floats)?.Floats.ToArray();

    public Proto.TensorProto? TensorAttribute(string name) => Attribute(name, Proto.AttributeProto.Types.AttributeType.Tensor)?.T;

    public bool HasAttribute(string name) => _attributes.ContainsKey(name);

    /// <summary>Decodes a tensor held by the node (an attribute), bounded by its bytes.</summary>
    public Tensor Decode(Proto.TensorProto tensor, string role) => TensorDecoder.Decode(tensor, $"{Cited}, {role}");

    /// <summary>An int attribute or input value as an int, refusing values outside int's range.</summary>
    public int ToInt(long value, string role) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error($"{role} {value} is out of range");

    /// <summary>An axis in [-rank, rank) normalized to [0, rank).</summary>
    public int Axis(long axis, int rank, string role = "axis")
    {
        if (axis < -rank || axis >= rank)
        {
            throw Error($"{role} {axis} is out of range for rank {rank}");
        }

        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>The node is well formed but uses what Graph does not support.</summary>
    public OnnxFormatException Unsupported(string why) => new($"{Cited}: {why}.");

    /// <summary>The node is malformed.</summary>
    public OnnxFormatException Error(string why) => new($"{Cited}: {why}.");

    /// <summary>Requires <paramref name="count"/> inputs at least.</summary>
    public void RequireInputs(int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!Has(i))
            {
                throw Error($"input {i} is missing; {Node.OpType} takes at least {count}");
            }
        }
    }

    private string InputName(int index) => Has(index) ? Node.Input[index] : throw Error($"input {index} is missing");

    private string OutputName(int index) =>
        index < Node.Output.Count && Node.Output[index].Length > 0 ? Node.Output[index] : throw Error($"output {index} is missing");

    private Proto.AttributeProto? Attribute(string name, Proto.AttributeProto.Types.AttributeType type)
    {
        if (!_attributes.TryGetValue(name, out Proto.AttributeProto? attribute))
        {
            return null;
        }

        if (attribute.RefAttrName.Length > 0)
        {
            throw Unsupported($"attribute '{name}' refers to a function attribute; Graph imports plain graphs only");
        }

        // Writers before IR version 4 leave the type out; then the field that is set tells.
        if (attribute.Type != type && attribute.Type != Proto.AttributeProto.Types.AttributeType.Undefined)
        {
            throw Error($"attribute '{name}' is {attribute.Type.ToString().ToLowerInvariant()}, but {Node.OpType} takes it as {type.ToString().ToLowerInvariant()}");
        }

        return attribute;
    }
}
