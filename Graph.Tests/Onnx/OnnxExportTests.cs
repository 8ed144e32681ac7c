using Graph.Compiler;
using Graph.Core;
using Graph.Onnx;
using Graph.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = Graph.Core.Tensor;

namespace Graph.Tests.Onnx;

/// <summary>Exported graphs run in ONNX Runtime with Graph's outputs, and import back into Graph with them too.</summary>
[TestClass]
public sealed class OnnxExportTests
{
    [TestMethod]
    public void AnExportedMlp_GivesGraphsOutputsInOnnxRuntime()
    {
        var b = new GraphBuilder();
        Value x = b.Input("x", new Shape(4, 6));
        Value h = Ops.Linear(x, b.Parameter("fc1.weight", Tensor.Randn(new Shape(8, 6), seed: 1)), b.Parameter("fc1.bias", Tensor.Randn(new Shape(8), seed: 2))).Relu();
        Value g = Ops.Linear(h, b.Parameter("fc2.weight", Tensor.Randn(new Shape(8, 8), seed: 3)), null).Tanh().Gelu();
        Value y = Ops.Softmax(Ops.Linear(g, b.Parameter("fc3.weight", Tensor.Randn(new Shape(3, 8), seed: 4)), b.Parameter("fc3.bias", Tensor.Randn(new Shape(3), seed: 5))), -1).Named("y");
        AssertSameInOnnxRuntime(Compile(b, y), ("x", Tensor.Randn(new Shape(4, 6), seed: 6)));
    }

    [TestMethod]
    public void AnExportedCnn_GivesGraphsOutputsInOnnxRuntime()
    {
        var b = new GraphBuilder();
        Value x = b.Input("image", new Shape(2, 3, 8, 8));
        Value c = Ops.Conv2d(x, b.Parameter("conv.weight", Tensor.Randn(new Shape(4, 3, 3, 3), seed: 1)), b.Parameter("conv.bias", Tensor.Randn(new Shape(4), seed: 2)), stride: 1, padding: 1);
        Value n = Ops.BatchNorm2d(c, b.Parameter("bn.weight", Tensor.Randn(new Shape(4), seed: 3)), b.Parameter("bn.bias", Tensor.Randn(new Shape(4), seed: 4)), b.Parameter("bn.mean", Tensor.Randn(new Shape(4), seed: 5), requiresGrad: false), b.Parameter("bn.var", Tensor.Rand(new Shape(4), seed: 6), requiresGrad: false), training: false);
        Value p = Ops.MaxPool2d(n.Relu(), 2);
        Value a = Ops.AvgPool2d(p, 2, padding: 1);
        Value pooled = Ops.AdaptiveAvgPool2d(a, 1, 1).Flatten(1);
        Value y = Ops.Linear(pooled, b.Parameter("fc.weight", Tensor.Randn(new Shape(5, 4), seed: 7)), b.Parameter("fc.bias", Tensor.Randn(new Shape(5), seed: 8))).Named("logits");
        AssertSameInOnnxRuntime(Compile(b, y), ("image", Tensor.Randn(new Shape(2, 3, 8, 8), seed: 9)));
    }

    [TestMethod]
    public void AStepWithoutAnOnnxCounterpart_IsRefusedByName()
    {
        var b = new GraphBuilder();
        Value x = b.Input("x", new Shape(2, 3));
        Value y = Ops.Dropout(x, 0.5, training: true).Named("dropped");
        CompiledGraph compiled = Compile(b, y);
        string path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.onnx");
        var e = Assert.ThrowsExactly<NotSupportedException>(() => Graph.Onnx.Onnx.Export(compiled, path));
        StringAssert.Contains(e.Message, "dropout_mask");
        Assert.IsFalse(File.Exists(path), "no half file is left");
    }

    private static CompiledGraph Compile(GraphBuilder b, Value output) =>
        GraphCompiler.Compile(b.Build(), new CompileOptions { Outputs = [output] });

    private static void AssertSameInOnnxRuntime(CompiledGraph compiled, (string Name, Tensor Value) feed)
    {
        Value output = compiled.Outputs.Single();
        using var session = new Session(compiled);
        session.SetInput(compiled.Find(feed.Name), feed.Value);
        session.Forward();
        Tensor expected = session.Output(output).Clone();

        string path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.onnx");
        try
        {
            Graph.Onnx.Onnx.Export(compiled, path);
            using var ort = new InferenceSession(path);
            var input = new DenseTensor<float>(feed.Value.ToArray<float>(), feed.Value.Shape.ToArray());
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = ort.Run([NamedOnnxValue.CreateFromTensor(feed.Name, input)]);
            Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> actual = results.Single(r => r.Name == output.Name).AsTensor<float>();
            CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Dimensions.ToArray(), "the shape in ONNX Runtime");
            OnnxModels.AssertClose(expected, Tensor.FromArray(actual.ToArray(), expected.Shape.ToArray()), 1e-4, "ONNX Runtime");

            var builder = new GraphBuilder();
            OnnxModel imported = Graph.Onnx.Onnx.Import(builder, path);
            OnnxModels.AssertClose(expected, OnnxModels.RunImported(builder, imported, feed)[0], 1e-5, "imported back");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
