using Graph.Core;
using Graph.Onnx.Reading;
using Proto = global::Onnx;

namespace Graph.Onnx.Export;

/// <summary>
/// The forward tape of a compiled graph as an opset-17 ONNX model: inputs as graph inputs (a dynamic dimension as a
/// symbolic one), parameters and constants as initializers holding their initial values, every tape step as one or a
/// few ONNX nodes named after the step's value, and the graph's outputs as ONNX outputs.
/// </summary>
internal static class OnnxExporter
{
    public const int Opset = 17;

    public static Proto.ModelProto Export(CompiledGraph graph)
    {
        var onnx = new Proto.GraphProto { Name = "graph" };
        var leaves = new HashSet<Value>();
        foreach (Value step in graph.Forward.Steps)
        {
            leaves.UnionWith(step.Inputs.Where(v => v.IsLeaf));
        }

        leaves.UnionWith(graph.Outputs.Where(v => v.IsLeaf));
        foreach (Value leaf in leaves.OrderBy(v => v.Id))
        {
            if (leaf.Kind == ValueKind.Input)
            {
                onnx.Input.Add(ValueInfo(leaf));
            }
            else if (leaf.Data is { } data)
            {
                onnx.Initializer.Add(TensorEncoder.Encode(data, leaf.Name));
            }
            else
            {
                throw new NotSupportedException($"'{leaf.Name}' is a {leaf.Kind.ToString().ToLowerInvariant()} without data; the forward tape of an .onnx model cannot read it.");
            }
        }

        var nodes = new NodeWriter(onnx);
        foreach (Value step in graph.Forward.Steps)
        {
            nodes.Write(step);
        }

        foreach (Value output in graph.Outputs)
        {
            onnx.Output.Add(ValueInfo(output));
        }

        var model = new Proto.ModelProto { IrVersion = 8, ProducerName = "Graph", Graph = onnx };
        model.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model;
    }

    private static Proto.ValueInfoProto ValueInfo(Value value)
    {
        var shape = new Proto.TensorShapeProto();
        foreach (int d in value.Shape.Dims)
        {
            shape.Dim.Add(d < 0 ? new Proto.TensorShapeProto.Types.Dimension { DimParam = "batch" } : new Proto.TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new Proto.ValueInfoProto
        {
            Name = value.Name,
            Type = new Proto.TypeProto { TensorType = new Proto.TypeProto.Types.Tensor { ElemType = ElementTypes.FromDType(value.DType), Shape = shape } },
        };
    }
}
