using Google.Protobuf;
using Graph.Compiler;
using Graph.Core;
using Graph.Onnx;
using Graph.Onnx.Reading;
using Graph.Runtime;
using Proto = global::Onnx;

namespace Graph.Tests.Onnx;

/// <summary>Small ONNX models built as protobuf messages in the test, and running what Graph imports from them.</summary>
internal static class OnnxModels
{
    /// <summary>A model of one graph with <paramref name="nodes"/>, in opset <paramref name="opset"/>.</summary>
    public static Proto.ModelProto Model(IEnumerable<Proto.ValueInfoProto> inputs, IEnumerable<Proto.NodeProto> nodes, IEnumerable<string> outputs, IEnumerable<Proto.TensorProto>? initializers = null, int opset = 17)
    {
        var graph = new Proto.GraphProto { Name = "test" };
        graph.Input.AddRange(inputs);
        graph.Node.AddRange(nodes);
        graph.Output.AddRange(outputs.Select(o => new Proto.ValueInfoProto { Name = o }));
        graph.Initializer.AddRange(initializers ?? []);
        var model = new Proto.ModelProto { IrVersion = 8, Graph = graph, ProducerName = "Graph.Tests" };
        model.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model;
    }

    /// <summary>A float tensor input (a dimension of -1 is symbolic, <c>batch</c>).</summary>
    public static Proto.ValueInfoProto Input(string name, params int[] dims) => Input(name, Proto.TensorProto.Types.DataType.Float, dims);

    public static Proto.ValueInfoProto Input(string name, Proto.TensorProto.Types.DataType type, params int[] dims)
    {
        var shape = new Proto.TensorShapeProto();
        foreach (int d in dims)
        {
            shape.Dim.Add(d < 0 ? new Proto.TensorShapeProto.Types.Dimension { DimParam = "batch" } : new Proto.TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new Proto.ValueInfoProto
        {
            Name = name,
            Type = new Proto.TypeProto { TensorType = new Proto.TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    public static Proto.NodeProto Node(string opType, string[] inputs, string[] outputs, params Proto.AttributeProto[] attributes)
    {
        var node = new Proto.NodeProto { OpType = opType, Name = $"{opType.ToLowerInvariant()}_{outputs.FirstOrDefault()}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static Proto.AttributeProto Int(string name, long value) => new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Int, I = value };

    public static Proto.AttributeProto Float(string name, float value) => new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Float, F = value };

    public static Proto.AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new Proto.AttributeProto { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static Proto.AttributeProto TensorAttribute(string name, Tensor value) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Tensor, T = TensorEncoder.Encode(value, name) };

    public static Proto.TensorProto Initializer(string name, Tensor value) => TensorEncoder.Encode(value, name);

    /// <summary>An int64 vector initializer: shapes, axes, starts.</summary>
    public static Proto.TensorProto IntsInitializer(string name, params long[] values) => TensorEncoder.Encode(Tensor.FromArray(values, values.Length), name);

    public static string Write(Proto.ModelProto model, string path)
    {
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    /// <summary>Imports <paramref name="model"/>, feeds <paramref name="feeds"/> by input name and returns every output.</summary>
    public static Tensor[] Run(Proto.ModelProto model, params (string Name, Tensor Value)[] feeds)
    {
        string path = Path.Combine(Path.GetTempPath(), $"graph-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            Write(model, path);
            var builder = new GraphBuilder();
            OnnxModel imported = Graph.Onnx.Onnx.Import(builder, path);
            return RunImported(builder, imported, feeds);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static Tensor[] RunImported(GraphBuilder builder, OnnxModel imported, params (string Name, Tensor Value)[] feeds)
    {
        CompiledGraph compiled = GraphCompiler.Compile(builder.Build(), new CompileOptions { Outputs = imported.Outputs });
        using var session = new Session(compiled);
        foreach ((string name, Tensor value) in feeds)
        {
            session.SetInput(compiled.Find(name), value);
        }

        session.Forward();
        return imported.Outputs.Select(o => session.Output(compiled.Graph.Resolve(o)).Clone()).ToArray();
    }

    /// <summary>What Graph itself computes for <paramref name="build"/> over inputs of the given tensors' shapes.</summary>
    public static Tensor Reference(Func<Value[], Value> build, params Tensor[] inputs)
    {
        var builder = new GraphBuilder();
        Value[] values = inputs.Select((t, i) => builder.Input($"x{i}", t.Shape, t.DType)).ToArray();
        Value output = build(values);
        CompiledGraph compiled = GraphCompiler.Compile(builder.Build(), new CompileOptions { Outputs = [output] });
        using var session = new Session(compiled);
        for (int i = 0; i < inputs.Length; i++)
        {
            session.SetInput(compiled.Graph.Resolve(values[i]), inputs[i]);
        }

        session.Forward();
        return session.Output(compiled.Graph.Resolve(output)).Clone();
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance = 1e-5, string? what = null)
    {
        Assert.AreEqual(expected.Shape, actual.Shape, $"{what}: shape");
        double[] e = expected.DType == DType.Int64 ? expected.ToArray<long>().Select(v => (double)v).ToArray() : expected.ToDoubleArray();
        double[] a = actual.DType == DType.Int64 ? actual.ToArray<long>().Select(v => (double)v).ToArray() : actual.ToDoubleArray();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.IsTrue(Math.Abs(e[i] - a[i]) <= tolerance * (1 + Math.Abs(e[i])), $"{what}: element {i} is {a[i]}, expected {e[i]}");
        }
    }
}
