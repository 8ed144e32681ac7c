using Graph.Core;
using Proto = global::Onnx;

namespace Graph.Onnx.Export;

internal static class OnnxExporter
{
    public static Proto.ModelProto Export(CompiledGraph graph) => throw new NotSupportedException(graph.ToString());
}
