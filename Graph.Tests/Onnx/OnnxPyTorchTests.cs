using Graph.Core;
using Graph.Onnx;
using Graph.Serialization;

namespace Graph.Tests.Onnx;

/// <summary>
/// torch.onnx.export of torchvision's resnet18 and of a two-layer nn.TransformerEncoder (tools/pytorch/onnx_models.py,
/// which tools/pytorch/generate_references.sh runs) import into Graph and give PyTorch's float32 outputs to 1e-4
/// relative. The models are written where GRAPH_TORCH_REFERENCE_DIR points, as the other PyTorchReference checks are.
/// </summary>
[TestClass]
[TestCategory("PyTorchReference")]
public sealed class OnnxPyTorchTests
{
    private const string DirectoryVariable = "GRAPH_TORCH_REFERENCE_DIR";

    /// <summary>Relative to the largest output magnitude: float32 accumulations in another order than PyTorch's.</summary>
    private const double RelativeTolerance = 1e-4;

    [TestMethod]
    [DataRow("resnet18")]
    [DataRow("transformer_encoder")]
    public void AnExportedPyTorchModel_ImportsAndMatchesPyTorch(string name)
    {
        string directory = ReferenceDirectory();
        IReadOnlyDictionary<string, Tensor> reference = SafetensorsFile.Read(Path.Combine(directory, $"{name}.safetensors"));
        var builder = new GraphBuilder();
        OnnxModel model = Graph.Onnx.Onnx.Import(builder, Path.Combine(directory, $"{name}.onnx"));
        Tensor actual = OnnxModels.RunImported(builder, model, (model.Inputs.Single().Name, reference["input"]))[0];

        Tensor expected = reference["output"];
        Assert.AreEqual(expected.Shape, actual.Shape);
        float[] e = expected.ToArray<float>();
        float[] a = actual.ToArray<float>();
        double scale = e.Max(v => Math.Abs((double)v));
        double worst = e.Zip(a, (x, y) => Math.Abs((double)x - y)).Max();
        Assert.IsTrue(worst <= RelativeTolerance * scale, $"{name}: the largest difference from PyTorch is {worst}, more than {RelativeTolerance} of the largest output {scale}");
    }

    private static string ReferenceDirectory()
    {
        string? directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrEmpty(directory))
        {
            Assert.Fail($"{DirectoryVariable} is not set. Run tools/pytorch/generate_references.sh OUTDIR and set {DirectoryVariable}=OUTDIR; the default run leaves the PyTorchReference category out.");
        }

        return directory;
    }
}
