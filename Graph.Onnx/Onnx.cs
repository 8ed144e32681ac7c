using Graph.Core;
using Graph.Onnx.Export;
using Graph.Onnx.Import;
using Graph.Onnx.Reading;

namespace Graph.Onnx;

/// <summary>Exchange with other frameworks through ONNX files (opsets 13 to 17).</summary>
public static class Onnx
{
    /// <summary>
    /// Adds the nodes of the <c>.onnx</c> model at <paramref name="path"/> to <paramref name="builder"/>. Inputs and
    /// outputs keep their ONNX names; initializers become parameters (floating-point ones with <c>requiresGrad: true</c>,
    /// except batch normalization's running statistics), so a loss built on the outputs fine-tunes the model. Shape
    /// arithmetic (<c>Shape → Gather → Concat → Reshape</c>, <c>Constant</c>) is computed while importing.
    /// </summary>
    /// <exception cref="OnnxFormatException">The file is malformed or hostile, or uses an op, attribute or data type
    /// Graph does not support; the message names the node, its op type and the opset.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static OnnxModel Import(GraphBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new OnnxImporter(builder, ModelFile.Read(path)).Run();
        }
        catch (ArgumentException e)
        {
            // The builder's own checks on what the model declares (a name used twice, a tensor too large to hold).
            throw new OnnxFormatException(e.Message, e);
        }
    }

    /// <summary>
    /// Writes the forward tape of <paramref name="graph"/> to <paramref name="path"/> as an opset-17 ONNX model: the
    /// graph's inputs become ONNX inputs, its parameters initializers (with their initial values) and its outputs ONNX
    /// outputs, all under their Graph names.
    /// </summary>
    /// <exception cref="NotSupportedException">The tape holds an op that has no ONNX counterpart here; the message names it.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Export(CompiledGraph graph, string path)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(path);
        ModelFile.Write(OnnxExporter.Export(graph), path);
    }
}
