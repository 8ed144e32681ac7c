using Graph.Core;
using static Graph.Tests.Onnx.OnnxModels;

namespace Graph.Tests.Onnx;

/// <summary>Each supported op in a one-node model, against what Graph's own ops compute on the same inputs.</summary>
[TestClass]
public sealed class OnnxImportOpTests
{
    private static readonly Tensor X = Tensor.Randn(new Shape(2, 3, 4), seed: 1);
    private static readonly Tensor Y = Tensor.Randn(new Shape(2, 3, 4), seed: 2);
    private static readonly Tensor Image = Tensor.Randn(new Shape(2, 3, 7, 7), seed: 3);

    [TestMethod]
    [DataRow("Add")]
    [DataRow("Sub")]
    [DataRow("Mul")]
    [DataRow("Div")]
    public void BinaryOps_BroadcastAsNumPy(string op)
    {
        Tensor row = Tensor.Randn(new Shape(4), seed: 4);
        Tensor[] got = Run(Model([Input("a", 2, 3, 4), Input("b", 4)], [Node(op, ["a", "b"], ["y"])], ["y"]), ("a", X), ("b", row));
        Tensor expected = Reference(v => op switch { "Add" => v[0] + v[1], "Sub" => v[0] - v[1], "Mul" => v[0] * v[1], _ => v[0] / v[1] }, X, row);
        AssertClose(expected, got[0], what: op);
    }

    [TestMethod]
    [DataRow("Relu")]
    [DataRow("Tanh")]
    [DataRow("Sigmoid")]
    [DataRow("Erf")]
    [DataRow("Exp")]
    [DataRow("Neg")]
    [DataRow("Abs")]
    [DataRow("Identity")]
    public void UnaryOps(string op)
    {
        Tensor[] got = Run(Model([Input("x", 2, 3, 4)], [Node(op, ["x"], ["y"])], ["y"]), ("x", X));
        Tensor expected = Reference(v => op switch { "Relu" => v[0].Relu(), "Tanh" => v[0].Tanh(), "Sigmoid" => v[0].Sigmoid(), "Erf" => v[0].Erf(), "Exp" => v[0].Exp(), "Neg" => -v[0], "Abs" => v[0].Abs(), _ => v[0] * 1.0 }, X);
        AssertClose(expected, got[0], what: op);
    }

    [TestMethod]
    public void SqrtAndPow_WithAConstantExponent()
    {
        Tensor positive = Tensor.Rand(new Shape(2, 3, 4), seed: 5);
        var model = Model(
            [Input("x", 2, 3, 4)],
            [Node("Sqrt", ["x"], ["s"]), Node("Constant", [], ["e"], TensorAttribute("value", Tensor.Scalar(3))), Node("Pow", ["s", "e"], ["y"])],
            ["y"]);
        AssertClose(Reference(v => v[0].Sqrt().Pow(3), positive), Run(model, ("x", positive))[0]);
    }

    [TestMethod]
    public void MatMulAndGemm_WithTransposesAlphaAndBeta()
    {
        Tensor a = Tensor.Randn(new Shape(3, 5), seed: 6);
        Tensor w = Tensor.Randn(new Shape(4, 5), seed: 7);
        Tensor c = Tensor.Randn(new Shape(4), seed: 8);
        var gemm = Model(
            [Input("a", 3, 5)],
            [Node("Gemm", ["a", "w", "c"], ["y"], Int("transB", 1), Float("alpha", 0.5f), Float("beta", 2f))],
            ["y"],
            [Initializer("w", w), Initializer("c", c)]);
        AssertClose(Reference(v => (v[0].MatMul(v[1].T()) * 0.5) + (v[2] * 2.0), a, w, c), Run(gemm, ("a", a))[0]);

        Tensor batch = Tensor.Randn(new Shape(2, 3, 5), seed: 9);
        var matmul = Model([Input("a", 2, 3, 5)], [Node("MatMul", ["a", "wt"], ["y"])], ["y"], [Initializer("wt", Tensor.Randn(new Shape(5, 4), seed: 10))]);
        Assert.AreEqual(new Shape(2, 3, 4), Run(matmul, ("a", batch))[0].Shape);
    }

    [TestMethod]
    [DataRow(new long[] { 1, 1, 1, 1 }, 1)]
    [DataRow(new long[] { 0, 1, 1, 0 }, 2)]
    public void Conv_WithSymmetricAndAsymmetricPads(long[] pads, int stride)
    {
        Tensor w = Tensor.Randn(new Shape(4, 3, 3, 3), seed: 11);
        Tensor b = Tensor.Randn(new Shape(4), seed: 12);
        var model = Model(
            [Input("x", 2, 3, 7, 7)],
            [Node("Conv", ["x", "w", "b"], ["y"], Ints("pads", pads), Ints("strides", stride, stride), Ints("kernel_shape", 3, 3))],
            ["y"],
            [Initializer("w", w), Initializer("b", b)]);
        Tensor expected = Reference(v => Ops.Conv2d(Ops.Pad(Ops.Pad(v[0], 2, (int)pads[0], (int)pads[2]), 3, (int)pads[1], (int)pads[3]), v[1], v[2], stride), Image, w, b);
        AssertClose(expected, Run(model, ("x", Image))[0], 1e-4);
    }

    [TestMethod]
    public void Pools_AndGlobalAveragePool()
    {
        var model = Model(
            [Input("x", 2, 3, 7, 7)],
            [
                Node("MaxPool", ["x"], ["m"], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1)),
                Node("AveragePool", ["x"], ["a"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)),
                Node("GlobalAveragePool", ["x"], ["g"]),
            ],
            ["m", "a", "g"]);
        Tensor[] got = Run(model, ("x", Image));
        AssertClose(Reference(v => Ops.MaxPool2d(v[0], 3, 2, 1), Image), got[0]);
        AssertClose(Reference(v => Ops.AvgPool2d(v[0], 2, 2), Image), got[1]);
        AssertClose(Reference(v => v[0].Mean([2, 3], keepDim: true), Image), got[2]);
    }

    [TestMethod]
    public void AveragePool_WithoutCountingPads_DividesByTheElementsInside()
    {
        Tensor ones = Tensor.Ones(new Shape(1, 1, 3, 3));
        var model = Model([Input("x", 1, 1, 3, 3)], [Node("AveragePool", ["x"], ["y"], Ints("kernel_shape", 2, 2), Ints("pads", 1, 1, 1, 1))], ["y"]);
        Tensor got = Run(model, ("x", ones))[0];
        Assert.AreEqual(new Shape(1, 1, 4, 4), got.Shape);
        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 16).ToArray(), got.ToArray<float>(), "every window averages ones only");
    }

    [TestMethod]
    public void BatchNormalization_UsesTheRunningStatistics_WhichDoNotRequireGradients()
    {
        Tensor scale = Tensor.Randn(new Shape(3), seed: 13);
        Tensor bias = Tensor.Randn(new Shape(3), seed: 14);
        Tensor mean = Tensor.Randn(new Shape(3), seed: 15);
        Tensor variance = Tensor.Rand(new Shape(3), seed: 16);
        var model = Model(
            [Input("x", 2, 3, 7, 7)],
            [Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], Float("epsilon", 1e-3f))],
            ["y"],
            [Initializer("s", scale), Initializer("b", bias), Initializer("m", mean), Initializer("v", variance)]);
        Tensor expected = Reference(v => Ops.BatchNorm2d(v[0], v[1], v[2], v[3], v[4], training: false, eps: 1e-3f), Image, scale, bias, mean, variance);
        AssertClose(expected, Run(model, ("x", Image))[0], 1e-4);

        var builder = new GraphBuilder();
        string path = Path.Combine(Path.GetTempPath(), $"bn-{Guid.NewGuid():N}.onnx");
        try
        {
            Graph.Onnx.Onnx.Import(builder, Write(model, path));
        }
        finally
        {
            File.Delete(path);
        }

        ComputeGraph graph = builder.Build();
        Assert.IsTrue(graph.Find("s").RequiresGrad, "the scale is a weight");
        Assert.IsFalse(graph.Find("m").RequiresGrad, "the running mean is a statistic");
    }

    [TestMethod]
    public void SoftmaxAndLayerNormalization_AlongTheLastAxis()
    {
        Tensor scale = Tensor.Randn(new Shape(4), seed: 17);
        Tensor bias = Tensor.Randn(new Shape(4), seed: 18);
        var model = Model(
            [Input("x", 2, 3, 4)],
            [Node("Softmax", ["x"], ["s"], Int("axis", -1)), Node("LayerNormalization", ["x", "g", "b"], ["n"], Float("epsilon", 1e-5f))],
            ["s", "n"],
            [Initializer("g", scale), Initializer("b", bias)]);
        Tensor[] got = Run(model, ("x", X));
        AssertClose(Reference(v => Ops.Softmax(v[0], -1), X), got[0]);
        AssertClose(Reference(v => Ops.LayerNorm(v[0], [4], v[1], v[2]), X, scale, bias), got[1], 1e-4);
    }

    [TestMethod]
    public void ShapeGatherConcatReshape_IsFoldedWhileImporting()
    {
        // What torch.onnx.export writes for x.view(x.size(0), -1).
        var model = Model(
            [Input("x", 2, 3, 4)],
            [
                Node("Shape", ["x"], ["shape"]),
                Node("Constant", [], ["zero"], TensorAttribute("value", Tensor.Zeros(Shape.Scalar, DType.Int64))),
                Node("Gather", ["shape", "zero"], ["batch"], Int("axis", 0)),
                Node("Unsqueeze", ["batch", "axes"], ["batch1"]),
                Node("Concat", ["batch1", "minus1"], ["target"], Int("axis", 0)),
                Node("Reshape", ["x", "target"], ["y"]),
            ],
            ["y"],
            [IntsInitializer("axes", 0), IntsInitializer("minus1", -1)]);
        Tensor got = Run(model, ("x", X))[0];
        Assert.AreEqual(new Shape(2, 12), got.Shape);
        CollectionAssert.AreEqual(X.ToArray<float>(), got.ToArray<float>());
    }

    [TestMethod]
    public void TransposeFlattenConcatUnsqueezeSqueeze()
    {
        var model = Model(
            [Input("x", 2, 3, 4), Input("y", 2, 3, 4)],
            [
                Node("Transpose", ["x"], ["t"], Ints("perm", 2, 0, 1)),
                Node("Flatten", ["x"], ["f"], Int("axis", 2)),
                Node("Concat", ["x", "y"], ["c"], Int("axis", 1)),
                Node("Unsqueeze", ["x", "axes"], ["u"]),
                Node("Squeeze", ["u", "axes"], ["s"]),
            ],
            ["t", "f", "c", "u", "s"],
            [IntsInitializer("axes", 1)]);
        Tensor[] got = Run(model, ("x", X), ("y", Y));
        AssertClose(Reference(v => v[0].Permute(2, 0, 1), X), got[0]);
        AssertClose(Reference(v => v[0].Reshape(6, 4), X), got[1]);
        AssertClose(Reference(v => Ops.Concat([v[0], v[1]], 1), X, Y), got[2]);
        Assert.AreEqual(new Shape(2, 1, 3, 4), got[3].Shape);
        AssertClose(X, got[4]);
    }

    [TestMethod]
    public void SliceAndGather_WithNegativeBoundsAndIndices()
    {
        var model = Model(
            [Input("x", 2, 3, 4)],
            [Node("Slice", ["x", "starts", "ends", "axes"], ["s"]), Node("Gather", ["x", "indices"], ["g"], Int("axis", 2))],
            ["s", "g"],
            [IntsInitializer("starts", 1), IntsInitializer("ends", long.MaxValue), IntsInitializer("axes", -1), IntsInitializer("indices", -1, 0)]);
        Tensor[] got = Run(model, ("x", X));
        AssertClose(Reference(v => Ops.Slice(v[0], 2, 1, 4), X), got[0]);
        AssertClose(Reference(v => Ops.IndexSelect(v[0], 2, v[0].Builder.Constant(Tensor.FromArray([3L, 0L], 2))), X), got[1]);
    }

    [TestMethod]
    public void ReduceMeanCastAndDropout()
    {
        var model = Model(
            [Input("x", 2, 3, 4)],
            [
                Node("ReduceMean", ["x"], ["m"], Ints("axes", 1), Int("keepdims", 0)),
                Node("Dropout", ["x"], ["d"]),
                Node("Cast", ["x"], ["c"], Int("to", 11)),
            ],
            ["m", "d", "c"]);
        Tensor[] got = Run(model, ("x", X));
        AssertClose(Reference(v => v[0].Mean([1]), X), got[0]);
        AssertClose(X, got[1]);
        Assert.AreEqual(DType.Float64, got[2].DType);
    }
}
