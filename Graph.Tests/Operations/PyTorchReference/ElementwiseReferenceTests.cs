using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Operations.PyTorchReference;

/// <summary>
/// Forward values and gradients (for a random upstream gradient) of issue 10's elementwise ops and reductions match
/// PyTorch 1.13 in float64, from the committed fixture written by tools/pytorch/elementwise_reference.py.
/// </summary>
[TestClass]
public sealed class ElementwiseReferenceTests
{
    // Infinities and NaNs must match exactly; finite values relative to each reference element, with a floor of 1e-3 on its magnitude so an exact zero compares absolutely.
    private const double Tolerance = 1e-12;

    private static readonly Lazy<IReadOnlyDictionary<string, Tensor>> s_reference = new(() => SafetensorsFile.Read(PyTorchFixtures.Elementwise));

    private static readonly Dictionary<string, Func<GraphBuilder, Value[], Value>> s_cases = new()
    {
        ["sin"] = (_, v) => v[0].Sin(),
        ["cos"] = (_, v) => v[0].Cos(),
        ["rsqrt"] = (_, v) => v[0].Rsqrt(),
        ["erf"] = (_, v) => v[0].Erf(),
        ["gelu"] = (_, v) => v[0].Gelu(),
        ["gelu_tanh"] = (_, v) => v[0].Gelu(tanhApproximation: true),
        ["silu"] = (_, v) => v[0].Silu(),
        ["softplus"] = (_, v) => v[0].Softplus(),
        ["softplus_beta2_threshold1"] = (_, v) => v[0].Softplus(beta: 2, threshold: 1),
        ["leaky_relu"] = (_, v) => v[0].LeakyRelu(),
        ["leaky_relu_0.2"] = (_, v) => v[0].LeakyRelu(0.2),
        ["clamp"] = (_, v) => v[0].Clamp(-1, 1),
        ["clamp_max"] = (_, v) => v[0].Clamp(null, 0.5),
        ["maximum"] = (_, v) => v[0].Maximum(v[1]),
        ["minimum"] = (_, v) => v[0].Minimum(v[1]),
        ["maximum_broadcast"] = (_, v) => v[0].Maximum(v[1]),
        ["pow"] = (_, v) => v[0].Pow(v[1]),
        ["pow_broadcast"] = (_, v) => v[0].Pow(v[1]),
        ["where"] = (g, v) => Ops.Where(g.Constant(s_reference.Value["cond"]), v[0], v[1]),
        ["where_broadcast"] = (g, v) => Ops.Where(g.Constant(s_reference.Value["cond"]), v[0], v[1]),
        ["min_axis1"] = (_, v) => v[0].Min(1),
        ["max_all"] = (_, v) => v[0].Max(),
        ["min_all"] = (_, v) => v[0].Min(),
        ["var_axis1"] = (_, v) => v[0].Var([1]),
        ["var_all_biased_keepdim"] = (_, v) => v[0].Var([0, 1], keepDim: true, unbiased: false),
        ["std_axis0"] = (_, v) => v[0].Std([0]),
        ["logsumexp_axis1"] = (_, v) => v[0].LogSumExp([1]),
        ["logsumexp_large"] = (_, v) => v[0].LogSumExp([1]),
        ["logsumexp_axes02_keepdim"] = (_, v) => v[0].LogSumExp([0, 2], keepDim: true),
        ["sum_axis1"] = (_, v) => v[0].Sum(1),
        ["mean_axis2_keepdim"] = (_, v) => v[0].Mean(2, keepDim: true),
    };

    public static IEnumerable<object[]> Cases => s_cases.Keys.Select(name => new object[] { name });

    [TestMethod]
    public void EveryFixtureCase_IsTested()
    {
        string[] inFile = s_reference.Value.Keys.Where(k => k.EndsWith(".out", StringComparison.Ordinal)).Select(k => k[..^4]).Order().ToArray();
        CollectionAssert.AreEqual(inFile, s_cases.Keys.Order().ToArray());
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void ForwardAndGradient_MatchPyTorch(string name)
    {
        IReadOnlyDictionary<string, Tensor> reference = s_reference.Value;
        var g = new GraphBuilder();
        var inputs = new List<Value>();
        for (int i = 0; reference.ContainsKey($"{name}.in{i}"); i++)
        {
            inputs.Add(g.Parameter($"in{i}", reference[$"{name}.in{i}"]));
        }

        Value output = s_cases[name](g, [.. inputs]);
        using Session session = Compile.Session(g, [output], [output]);
        session.Forward();
        AssertClose(reference[$"{name}.out"], session.Output(output), $"{name}: forward");
        session.Backward(output, reference[$"{name}.seed"]);
        for (int i = 0; i < inputs.Count; i++)
        {
            AssertClose(reference[$"{name}.grad{i}"], session.Grad(inputs[i]), $"{name}: gradient of input {i}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Float32Forward_MatchesPyTorchsFloat64_To1e5(string name)
    {
        IReadOnlyDictionary<string, Tensor> reference = s_reference.Value;
        var g = new GraphBuilder();
        var inputs = new List<Value>();
        for (int i = 0; reference.ContainsKey($"{name}.in{i}"); i++)
        {
            inputs.Add(g.Parameter($"in{i}", reference[$"{name}.in{i}"]).Cast(DType.Float32));
        }

        Value output = s_cases[name](g, [.. inputs]);
        Assert.AreEqual(DType.Float32, output.DType);
        using Session session = Compile.Session(g, [], [output]);
        session.Forward();
        double[] expected = reference[$"{name}.out"].ToArray<double>();
        float[] actual = session.Output(output).ToArray<float>();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.IsTrue(actual[i] == expected[i] || Math.Abs(actual[i] - expected[i]) <= 1e-5 * Math.Max(Math.Abs(expected[i]), 1), $"{name}: element {i} is {actual[i]:R}, PyTorch {expected[i]:R}");
        }
    }

    [TestMethod]
    [DataRow("argmax_axis1", 1, false)]
    [DataRow("argmax_axis0_keepdim", 0, true)]
    public void ArgMax_MatchesPyTorch_FirstIndexOnTies(string name, int axis, bool keepDim)
    {
        Tensor x = s_reference.Value[$"{name}.in0"];
        Tensor expected = s_reference.Value[$"{name}.indices"];
        var g = new GraphBuilder();
        Value indices = g.Constant(x).ArgMax(axis, keepDim);
        using var session = new Session(Graph.Compiler.GraphCompiler.Compile(g.Build(), new Graph.Compiler.CompileOptions { Outputs = [indices] }));
        session.Forward();
        Tensor actual = session.Output(indices);
        Assert.AreEqual(DType.Int64, actual.DType);
        Assert.AreEqual(expected.Shape, actual.Shape);
        CollectionAssert.AreEqual(expected.ToArray<long>(), actual.ToArray<long>());
    }

    private static void AssertClose(Tensor expected, Tensor? actual, string what)
    {
        Assert.IsNotNull(actual, what);
        Assert.AreEqual(expected.Shape, actual.Shape, what);
        double[] e = expected.ToArray<double>();
        double[] a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
        {
            double error = Math.Abs(a[i] - e[i]);
            Assert.IsTrue(a[i] == e[i] || (double.IsNaN(a[i]) && double.IsNaN(e[i])) || error <= Tolerance * Math.Max(Math.Abs(e[i]), 1e-3), $"{what}: element {i} is {a[i]:R}, PyTorch {e[i]:R} (error {error:E2})");
        }
    }
}
