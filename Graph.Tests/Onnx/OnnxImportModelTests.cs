using Google.Protobuf;
using Graph.Compiler;
using Graph.Core;
using Graph.Onnx;
using Graph.Runtime;

namespace Graph.Tests.Onnx;

/// <summary>A whole imported model: its outputs against the same network built with Graph's ops, and fine-tuning it.</summary>
[TestClass]
public sealed class OnnxImportModelTests
{
    [TestMethod]
    public void TheSmallCnn_MatchesTheSameNetworkBuiltWithGraphsOps()
    {
        Tensor image = Tensor.Randn(new Shape(2, 3, 8, 8), seed: 9);
        Tensor[] got = OnnxModels.Run(OnnxSamples.SmallCnn(), ("image", image));
        global::Onnx.GraphProto graph = OnnxSamples.SmallCnn().Graph;
        Tensor Weight(string name) => Graph.Onnx.Reading.TensorDecoder.Decode(graph.Initializer.Single(t => t.Name == name), name);
        Tensor expected = OnnxModels.Reference(
            v =>
            {
                GraphBuilder b = v[0].Builder;
                Value c = Ops.Conv2d(v[0], b.Constant(Weight("conv.weight")), b.Constant(Weight("conv.bias")), padding: 1);
                Value n = Ops.BatchNorm2d(c, b.Constant(Weight("bn.weight")), b.Constant(Weight("bn.bias")), b.Constant(Weight("bn.running_mean")), b.Constant(Weight("bn.running_var")), training: false);
                Value flat = Ops.MaxPool2d(n.Relu(), 2).Reshape(2, -1);
                return Ops.Linear(flat, b.Constant(Weight("fc.weight")), b.Constant(Weight("fc.bias")));
            },
            image);
        OnnxModels.AssertClose(expected, got[0], 1e-4, "logits");
        Assert.AreEqual(new Shape(2, 5), got[1].Shape);
    }

    [TestMethod]
    public void AnImportedModel_KeepsItsNames_AndFineTunesWithALossBuiltOnItsOutputs()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cnn-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, OnnxSamples.SmallCnn().ToByteArray());
            var builder = new GraphBuilder();
            OnnxModel model = Graph.Onnx.Onnx.Import(builder, path);
            Assert.AreEqual("image", model.Inputs.Single().Name);
            CollectionAssert.AreEqual(new[] { "logits", "probabilities" }, model.Outputs.Select(o => o.Name).ToArray());

            Value targets = builder.Input("targets", new Shape(2), DType.Int64);
            Value loss = Ops.CrossEntropy(model.Outputs[0], targets);
            CompiledGraph compiled = GraphCompiler.Compile(builder.Build(), new CompileOptions { Outputs = [loss], GradientRoots = [loss] });
            using var session = new Session(compiled);
            session.SetInput(compiled.Find("image"), Tensor.Randn(new Shape(2, 3, 8, 8), seed: 10));
            session.SetInput(compiled.Find("targets"), Tensor.FromArray([1L, 3L]));
            var sgd = new Sgd(session, lr: 0.001);
            session.Forward();
            double first = session.Output(compiled.Graph.Resolve(loss)).Item();
            for (int step = 0; step < 5; step++)
            {
                sgd.ZeroGrad();
                session.Backward();
                sgd.Step();
                session.Forward();
            }

            Assert.IsNotNull(session.Grad(compiled.Find("conv.weight")), "an imported weight is trained");
            Assert.IsNull(session.Grad(compiled.Find("bn.running_mean")), "a running statistic is not");
            double last = session.Output(compiled.Graph.Resolve(loss)).Item();
            Assert.IsTrue(last < first, $"the loss fell: {first} then {last}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
