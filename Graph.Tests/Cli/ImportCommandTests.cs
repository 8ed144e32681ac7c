using Google.Protobuf;
using Graph.Cli.Commands;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.Onnx;
using Graph.Tests.Serialization.GraphFiles;

namespace Graph.Tests.Cli;

/// <summary><c>graph import</c> converts an .onnx model to a .graph file that runs, or says why it cannot and exits with 1.</summary>
[TestClass]
public sealed class ImportCommandTests
{
    [TestMethod]
    public void AModel_BecomesAGraphFile_ThatRunsWithTheImportedOutputs()
    {
        using var directory = new TemporaryDirectory();
        string model = directory.File("cnn.onnx");
        File.WriteAllBytes(model, OnnxSamples.SmallCnn().ToByteArray());
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.AreEqual(0, ImportCommand.Run(new FileInfo(model), null, output, error), error.ToString());

        StringAssert.Contains(output.ToString(), "cnn.onnx → cnn.graph");
        Tensor image = Tensor.Randn(new Shape(2, 3, 8, 8), seed: 11);
        using var session = new Session(GraphFile.Load(directory.File("cnn.graph")));
        session.SetInput(session.Graph.Find("image"), image);
        session.Forward();
        Tensor expected = OnnxModels.Run(OnnxSamples.SmallCnn(), ("image", image))[0];
        OnnxModels.AssertClose(expected, session.Output(session.Graph.Find("logits")), 1e-6, "logits");
    }

    [TestMethod]
    public void AnUnsupportedModel_PrintsTheNodeAndExitsWithOne()
    {
        using var directory = new TemporaryDirectory();
        string model = directory.File("topk.onnx");
        var proto = OnnxModels.Model([OnnxModels.Input("x", 3)], [OnnxModels.Node("TopK", ["x", "k"], ["v", "i"])], ["v"], [OnnxModels.IntsInitializer("k", 1)]);
        File.WriteAllBytes(model, proto.ToByteArray());
        var error = new StringWriter();

        Assert.AreEqual(1, ImportCommand.Run(new FileInfo(model), new FileInfo(directory.File("out.graph")), new StringWriter(), error));

        StringAssert.Contains(error.ToString(), "topk.onnx: node 'topk_v' (TopK, opset 17)");
        Assert.IsFalse(File.Exists(directory.File("out.graph")));
    }
}
