using Graph.Core;
using Graph.Core.Operations;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork;

/// <summary>
/// The float32 kernels agree with the float64 ones: each case runs forward and backward (<c>Σ u ⊙ y</c>) in both
/// dtypes from the same seeded inputs and compares the outputs and the gradients, so every new op's float32
/// kernel (the gradient ops through the backward pass or directly) is checked against its float64 twin.
/// </summary>
[TestClass]
public sealed class PrecisionConsistencyTests
{
    private static readonly Conv2dSettings s_strided = new(2, 1, 1, 2);

    public static IEnumerable<object[]> Cases { get; } = new (string Name, Shape[] Shapes, Func<GraphBuilder, Value[], DType, Value> Build)[]
    {
        ("conv2d, stride 2, padding 1, groups 2, bias", [new(2, 4, 7, 6), new(6, 2, 3, 3), new(6)], (_, v, _) => Ops.Conv2d(v[0], v[1], v[2], stride: 2, padding: 1, groups: 2)),
        ("conv2d, dilation 2", [new(1, 3, 8, 8), new(4, 3, 3, 3)], (_, v, _) => Ops.Conv2d(v[0], v[1], null, padding: 1, dilation: 2)),
        ("conv2d, pointwise", [new(2, 5, 4, 4), new(3, 5, 1, 1)], (_, v, _) => Ops.Conv2d(v[0], v[1], null)),
        ("conv2d_input_grad", [new(1, 4, 4, 3), new(4, 1, 3, 3)], (_, v, _) => Conv2dInputGrad.Apply(v[0], v[1], s_strided, new Shape(1, 2, 7, 6))),
        ("conv2d_weight_grad", [new(1, 4, 4, 3), new(1, 2, 7, 6)], (_, v, _) => Conv2dWeightGrad.Apply(v[0], v[1], s_strided, new Shape(4, 1, 3, 3))),
        ("max_pool2d", [new(2, 3, 7, 7)], (_, v, _) => Ops.MaxPool2d(v[0], 3, stride: 2, padding: 1)),
        ("max_pool2d_grad", [new(2, 3, 4, 4)], (g, v, t) => MaxPool2dGrad.Apply(v[0], g.Constant(Tensor.Randn(new Shape(2, 3, 7, 7), 5, t)), new(3, 2, 1))),
        ("max_pool2d_gather", [new(2, 3, 7, 7)], (g, v, t) => MaxPool2dGather.Apply(v[0], g.Constant(Tensor.Randn(new Shape(2, 3, 7, 7), 5, t)), new(3, 2, 1))),
        ("avg_pool2d", [new(2, 3, 7, 7)], (_, v, _) => Ops.AvgPool2d(v[0], 3, stride: 2, padding: 1)),
        ("avg_pool2d_grad", [new(2, 3, 4, 4)], (_, v, _) => AvgPool2dGrad.Apply(v[0], new(3, 2, 1), new Shape(2, 3, 7, 7))),
        ("adaptive_avg_pool2d", [new(2, 3, 7, 5)], (_, v, _) => Ops.AdaptiveAvgPool2d(v[0], 3, 2)),
        ("adaptive_avg_pool2d_grad", [new(2, 3, 3, 2)], (_, v, _) => AdaptiveAvgPool2dGrad.Apply(v[0], new Shape(2, 3, 7, 5))),
        ("batch_norm, training", [new(4, 3, 5, 5), new(3), new(3)], (g, v, t) => Ops.BatchNorm2d(v[0], v[1], v[2], Stat(g, "mean", 0.2, t), Stat(g, "var", 1.3, t), training: true)),
        ("batch_norm, evaluation", [new(4, 3, 5, 5), new(3), new(3)], (g, v, t) => Ops.BatchNorm2d(v[0], v[1], v[2], Stat(g, "mean", 0.2, t), Stat(g, "var", 1.3, t), training: false)),
        ("dropout_mask", [new(6, 50)], (_, v, _) => Ops.Dropout(v[0], 0.3, training: true, seed: 4)),
    }.Select(c => new object[] { c.Name, c.Shapes, c.Build });

    public static string DisplayName(System.Reflection.MethodInfo method, object[] data) => (string)data[0];

    [TestMethod]
    [DynamicData(nameof(Cases), DynamicDataDisplayName = nameof(DisplayName))]
    public void Float32_MatchesFloat64(string name, Shape[] shapes, Func<GraphBuilder, Value[], DType, Value> build)
    {
        double[][] single = ForwardAndBackward(shapes, build, DType.Float32);
        double[][] reference = ForwardAndBackward(shapes, build, DType.Float64);

        for (int t = 0; t < reference.Length; t++)
        {
            string what = t == 0 ? "output" : $"gradient of input {t - 1}";
            Assert.HasCount(reference[t].Length, single[t], what);
            for (int i = 0; i < reference[t].Length; i++)
            {
                Assert.IsTrue(
                    Math.Abs(single[t][i] - reference[t][i]) <= 1e-4 * (1 + Math.Abs(reference[t][i])),
                    $"{name}: {what}[{i}] is {single[t][i]} in float32 and {reference[t][i]} in float64");
            }
        }
    }

    /// <summary>The output, then each input's gradient, of <c>Σ u ⊙ build(inputs)</c> in <paramref name="dtype"/>.</summary>
    private static double[][] ForwardAndBackward(Shape[] shapes, Func<GraphBuilder, Value[], DType, Value> build, DType dtype)
    {
        var g = new GraphBuilder();
        Value[] inputs = shapes.Select((s, i) => g.Parameter($"x{i}", Tensor.Randn(s, seed: 100 + i, dtype))).ToArray();
        Value y = build(g, inputs, dtype);
        Value loss = (y * g.Constant(Tensor.Randn(y.Shape, seed: 99, dtype))).Sum();
        using Session session = Compile.Session(g, [loss], [y]);
        session.Forward();
        session.Backward();
        return [session.Output(y).ToDoubleArray(), .. inputs.Select(x => session.Grad(x)!.ToDoubleArray())];
    }

    private static Value Stat(GraphBuilder g, string name, double value, DType dtype) =>
        g.Parameter($"running_{name}", Tensor.Full(new Shape(3), value, dtype), requiresGrad: false);
}
