using Graph.Core;
using Graph.Onnx.Reading;
using Proto = global::Onnx;

namespace Graph.Onnx.Import;

/// <summary>
/// Walks one ONNX graph in its (required) topological order and adds its nodes to a builder. Every name maps to a graph
/// value, to a tensor known while importing (constants, integer initializers, folded shape arithmetic), or to both;
/// known tensors become graph constants only when an op needs them as operands.
/// </summary>
internal sealed class OnnxImporter(GraphBuilder builder, Proto.ModelProto model)
{
    /// <summary>The oldest opset read; ops that changed since are checked one by one against <see cref="Converters.Since"/>.</summary>
    public const int MinOpset = 1;

    /// <summary>The newest opset supported: opset 18 moved the reductions' axes to inputs.</summary>
    public const int MaxOpset = 17;

    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _integerInitializers = new(StringComparer.Ordinal);

    public GraphBuilder Builder { get; } = builder;

    public OnnxModel Run()
    {
        Proto.GraphProto graph = model.Graph ?? throw new OnnxFormatException("The model has no graph.");
        int opset = Opset();
        HashSet<string> frozen = RunningStatistics(graph);
        foreach (Proto.TensorProto initializer in graph.Initializer)
        {
            AddInitializer(initializer, frozen.Contains(initializer.Name));
        }

        if (graph.SparseInitializer.Count > 0)
        {
            throw new OnnxFormatException($"The graph has {graph.SparseInitializer.Count} sparse initializer(s); Graph supports dense tensors only.");
        }

        var inputs = new List<Value>();
        foreach (Proto.ValueInfoProto input in graph.Input)
        {
            if (!IsDefined(input.Name))
            {
                inputs.Add(AddInput(input));
            }
        }

        foreach (Proto.NodeProto node in graph.Node)
        {
            Convert(node, opset);
        }

        var outputs = new List<Value>();
        foreach (Proto.ValueInfoProto output in graph.Output)
        {
            outputs.Add(Output(output.Name));
        }

        return new OnnxModel(inputs, outputs);
    }

    /// <summary>The graph value of <paramref name="name"/>, making a known tensor a constant on first use.</summary>
    public Value ValueOf(string name, NodeContext node)
    {
        if (_values.TryGetValue(name, out Value? value))
        {
            return value;
        }

        if (_integerInitializers.TryGetValue(name, out Tensor? initializer))
        {
            value = Builder.Parameter(name, initializer, requiresGrad: false);
        }
        else if (_known.TryGetValue(name, out Tensor? known))
        {
            value = Builder.Constant(known);
        }
        else
        {
            throw node.Error($"input '{name}' is defined by no graph input, initializer or earlier node (nodes must be in topological order, without cycles)");
        }

        _values[name] = value;
        return value;
    }

    /// <summary>The data of <paramref name="name"/> when known while importing, else null.</summary>
    public Tensor? KnownOf(string name, NodeContext node)
    {
        if (_known.TryGetValue(name, out Tensor? known))
        {
            return known;
        }

        return IsDefined(name) ? null : throw node.Error($"input '{name}' is defined by no graph input, initializer or earlier node (nodes must be in topological order, without cycles)");
    }

    /// <summary>Defines <paramref name="name"/>, which SSA form lets only one node do.</summary>
    public void Define(string name, Value? value, Tensor? known)
    {
        if (IsDefined(name))
        {
            throw new OnnxFormatException($"'{name}' is defined twice; an ONNX graph defines each name once.");
        }

        if (value is not null)
        {
            _values[name] = value;
        }

        if (known is not null)
        {
            _known[name] = known;
        }
    }

    private bool IsDefined(string name) => _values.ContainsKey(name) || _known.ContainsKey(name);

    private int Opset()
    {
        int? opset = null;
        foreach (Proto.OperatorSetIdProto import in model.OpsetImport)
        {
            if (import.Domain is "" or "ai.onnx")
            {
                opset = (int)Math.Clamp(import.Version, int.MinValue, int.MaxValue);
            }
        }

        return opset switch
        {
            null => throw new OnnxFormatException("The model imports no version of the default ONNX opset."),
            < MinOpset or > MaxOpset => throw new OnnxFormatException($"The model uses opset {opset}; Graph imports opsets up to {MaxOpset}. Re-export it with one of those (torch.onnx.export(..., opset_version=17))."),
            _ => opset.Value,
        };
    }

    /// <summary>Batch normalization's running mean and variance: statistics, not weights, so their parameters do not require a gradient.</summary>
    private static HashSet<string> RunningStatistics(Proto.GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Proto.NodeProto node in graph.Node.Where(n => n.OpType == "BatchNormalization"))
        {
            names.UnionWith(node.Input.Skip(3).Take(2));
        }

        return names;
    }

    private void AddInitializer(Proto.TensorProto initializer, bool frozen)
    {
        if (initializer.Name.Length == 0 || IsDefined(initializer.Name) || _integerInitializers.ContainsKey(initializer.Name))
        {
            throw new OnnxFormatException($"Initializer '{initializer.Name}' has no name or a name already used.");
        }

        Tensor tensor = TensorDecoder.Decode(initializer, $"initializer '{initializer.Name}'");
        if (tensor.DType.IsFloatingPoint())
        {
            _values[initializer.Name] = Builder.Parameter(initializer.Name, tensor, requiresGrad: !frozen);
        }
        else
        {
            // Shapes, axes and indices: known while importing, a frozen parameter only if an op takes them as an operand.
            _integerInitializers[initializer.Name] = tensor;
            _known[initializer.Name] = tensor;
        }
    }

    private Value AddInput(Proto.ValueInfoProto input)
    {
        string what = $"graph input '{input.Name}'";
        if (input.Type?.TensorType is not { } tensorType)
        {
            throw new OnnxFormatException($"The {what} is not a tensor; Graph supports tensor inputs only.");
        }

        if (tensorType.Shape is null)
        {
            throw new OnnxFormatException($"The {what} has no shape; Graph needs each input's rank (dimensions may be symbolic).");
        }

        var dims = new int[tensorType.Shape.Dim.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            Proto.TensorShapeProto.Types.Dimension dim = tensorType.Shape.Dim[i];
            dims[i] = dim.ValueCase == Proto.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue
                ? TensorDecoder.Dimensions([dim.DimValue], what)[0]
                : -1;
        }

        Value value = Builder.Input(input.Name, new Shape(dims), ElementTypes.ToDType(tensorType.ElemType, $"The {what}"));
        _values[input.Name] = value;
        return value;
    }

    private void Convert(Proto.NodeProto node, int opset)
    {
        var context = new NodeContext(this, node, opset);
        if (node.Domain is not ("" or "ai.onnx"))
        {
            throw context.Unsupported($"domain '{node.Domain}' is not supported; Graph imports the default ONNX domain");
        }

        if (!Converters.All.TryGetValue(node.OpType, out Action<NodeContext>? convert))
        {
            throw context.Unsupported($"Graph does not import {node.OpType}; it imports {string.Join(", ", Converters.All.Keys.Order(StringComparer.Ordinal))}");
        }

        if (Converters.Since.TryGetValue(node.OpType, out int since) && opset < since)
        {
            throw context.Unsupported($"Graph imports {node.OpType} from opset {since} on");
        }

        try
        {
            convert(context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or NotSupportedException)
        {
            // Graph's own shape and dtype checks (GraphBuildException is an ArgumentException) name the operands;
            // this adds which ONNX node they came from.
            throw new OnnxFormatException($"{context.Cited}: {e.Message}", e);
        }
    }

    private Value Output(string name)
    {
        if (!IsDefined(name))
        {
            throw new OnnxFormatException($"Graph output '{name}' is defined by no input, initializer or node.");
        }

        if (!_values.TryGetValue(name, out Value? value))
        {
            value = Builder.Constant(_known[name]);
            _values[name] = value;
        }

        if (!value.IsLeaf && value.Name != name)
        {
            value.Named(name);
        }

        return value;
    }
}
