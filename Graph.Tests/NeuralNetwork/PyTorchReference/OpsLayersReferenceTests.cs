using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork.PyTorchReference;

/// <summary>
/// Issue 10's shape ops, index ops, layer norm and losses against PyTorch 1.13, from the committed fixture
/// (tools/pytorch/ops_layers_reference.py): each case builds the script's function, differentiates Σ u·out, and
/// compares the output and every input's gradient to 1e-10 relative in float64; layer norm and attention also run in float32
/// against the float64 reference to 1e-5.
/// </summary>
[TestClass]
public sealed class OpsLayersReferenceTests
{
    private static readonly Dictionary<string, Func<Value[], Value?, Value>> s_cases = new()
    {
        ["unsqueeze_squeeze"] = (x, _) => x[0].Unsqueeze(-1).Squeeze(0),
        ["transpose"] = (x, _) => x[0].Transpose(0, 2),
        ["stack"] = (x, _) => Ops.Stack(x, 1),
        ["split_chunk"] = (x, _) => Ops.Split(x[0], [2, 3])[1] * Ops.Chunk(x[0], 2, axis: 1)[1].Sum(),
        ["split_size"] = (x, _) => Ops.Split(x[0], 2)[2] * 2.0,
        ["index_select"] = (x, i) => Ops.IndexSelect(x[0], 0, i!),
        ["gather"] = (x, i) => Ops.Gather(x[0], 1, i!),
        ["gather_smaller"] = (x, i) => Ops.Gather(x[0], 1, i!),
        ["embedding"] = (x, i) => Ops.Embedding(i!, x[0]),
        ["layer_norm_affine"] = (x, _) => Ops.LayerNorm(x[0], [3, 4], x[1], x[2], eps: 1e-5),
        ["layer_norm_plain"] = (x, _) => Ops.LayerNorm(x[0], [3, 4], null, null),
        ["layer_norm_last"] = (x, _) => Ops.LayerNorm(x[0], [8], x[1], x[2], eps: 1e-3),
        ["attention"] = (x, _) => Ops.ScaledDotProductAttention(x[0], x[1], x[2]),
        ["attention_causal"] = (x, _) => Ops.ScaledDotProductAttention(x[0], x[1], x[2], causal: true),
        ["attention_causal_more_queries"] = (x, _) => Ops.ScaledDotProductAttention(x[0], x[1], x[2], causal: true),
        ["attention_causal_fewer_queries"] = (x, _) => Ops.ScaledDotProductAttention(x[0], x[1], x[2], causal: true),
        ["cross_entropy"] = (x, i) => Ops.CrossEntropy(x[0], i!),
        ["cross_entropy_ncd_smoothing"] = (x, i) => Ops.CrossEntropy(x[0], i!, labelSmoothing: 0.2),
        ["nll_loss_ncdd"] = (x, i) => Ops.NllLoss(Ops.LogSoftmax(x[0], 1), i!),
        ["l1_loss"] = (x, _) => Ops.L1Loss(x[0], x[1]),
        ["smooth_l1_loss"] = (x, _) => Ops.SmoothL1Loss(x[0], x[1], beta: 0.5),
    };

    private static readonly Lazy<IReadOnlyDictionary<string, Tensor>> s_reference = new(() => SafetensorsFile.Read(PyTorchFixtures.OpsLayers));

    public static IEnumerable<object[]> Cases => s_cases.Keys.Select(k => new object[] { k });

    public static IEnumerable<object[]> Float32Cases => s_cases.Keys.Where(k => k.StartsWith("layer_norm", StringComparison.Ordinal) || k.StartsWith("attention", StringComparison.Ordinal)).Select(k => new object[] { k });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Float64_MatchesPyTorch(string name) => Check(name, DType.Float64, 1e-10);

    [TestMethod]
    [DynamicData(nameof(Float32Cases))]
    public void LayerNormAndAttentionFloat32_MatchTheFloat64Reference(string name) => Check(name, DType.Float32, 1e-5);

    [TestMethod]
    public void EveryCaseOfTheFixture_IsChecked()
    {
        string[] inFile = s_reference.Value.Keys.Select(k => k[..k.IndexOf('/', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEquivalent(inFile, s_cases.Keys.ToArray());
    }

    [TestMethod]
    public void AnIndexOutOfRange_FailsNamingTheOpAndTheIndex()
    {
        var g = new GraphBuilder();
        Value weight = g.Parameter("weight", Tensor.Randn(new Shape(5, 3), seed: 1, DType.Float64));
        Value tokens = g.Input("tokens", new Shape(3), DType.Int64);
        Value loss = Ops.Embedding(tokens, weight).Sum();
        using Session session = Compile.Session(g, [loss]);
        session.SetInput(tokens, Tensor.FromArray([1L, 5L, 0L], 3));
        var error = Assert.ThrowsExactly<InvalidOperationException>(session.Forward);
        StringAssert.Contains(error.Message, "index_select");
        StringAssert.Contains(error.Message, "index 5 at position 1");
        StringAssert.Contains(error.Message, "[0, 5)");
    }

    private static void Check(string name, DType dtype, double tolerance)
    {
        IReadOnlyDictionary<string, Tensor> reference = s_reference.Value;
        var g = new GraphBuilder();
        int count = 0;
        while (reference.ContainsKey($"{name}/in{count}"))
        {
            count++;
        }

        Value[] inputs = Enumerable.Range(0, count).Select(i => g.Parameter($"in{i}", As(reference[$"{name}/in{i}"], dtype))).ToArray();
        Value? index = reference.TryGetValue($"{name}/index", out Tensor? indices) ? g.Constant(indices, "index") : null;
        Value output = s_cases[name](inputs, index);
        Value loss = (output * g.Constant(As(reference[$"{name}/u"], dtype), "u")).Sum();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [output], GradientRoots = [loss] }));
        session.Forward();
        session.Backward();

        AssertRelative(reference[$"{name}/out"], session.Output(output), tolerance, $"{name} ({dtype.Name()}) output");
        for (int i = 0; i < count; i++)
        {
            AssertRelative(reference[$"{name}/grad{i}"], session.Grad(inputs[i]), tolerance, $"{name} ({dtype.Name()}) gradient of in{i}");
        }
    }

    private static Tensor As(Tensor t, DType dtype) =>
        dtype == DType.Float64 ? t : Tensor.FromArray(t.ToDoubleArray().Select(v => (float)v).ToArray(), t.Shape.ToArray());

    /// <summary>Each element within <paramref name="tolerance"/> relative to its own magnitude, or to 1 for elements below 1.</summary>
    private static void AssertRelative(Tensor expected, Tensor? actual, double tolerance, string what)
    {
        Assert.IsNotNull(actual, $"{what}: no tensor");
        Assert.AreEqual(expected.Shape, actual.Shape, what);
        double[] e = expected.ToDoubleArray(), a = actual.ToDoubleArray();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.IsTrue(Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(e[i])), $"{what}[{i}]: PyTorch {e[i]:R}, Graph {a[i]:R} (tolerance {tolerance} relative)");
        }
    }
}
