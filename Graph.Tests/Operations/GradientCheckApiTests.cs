using Graph.Compiler;
using Graph.Core;

namespace Graph.Tests.Operations;

/// <summary>The public <see cref="GradientCheck"/> on user graphs: what it reports, what it catches, what it refuses.</summary>
[TestClass]
public sealed class GradientCheckApiTests
{
    [TestMethod]
    public void SmoothGraph_WithAnInputThatRequiresAGradient_IsWithinTolerance_AndReportsEveryLeaf()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3), DType.Float64, requiresGrad: true);
        Value w = g.Parameter("w", Tensor.FromArray([0.5, -1.0, 2.0, 0.25, 1.5, -0.75], 3, 2));
        Value y = x.MatMul(w).Tanh();

        GradientCheckReport report = GradientCheck.Run(g.Build(), y, new GradientCheckOptions
        {
            Inputs = new Dictionary<Value, Tensor> { [x] = Tensor.FromArray([0.1, 0.2, -0.3, 0.4, -0.5, 0.6], 2, 3) },
        });

        CollectionAssert.AreEqual(new[] { "x", "w" }, report.Inputs.Select(e => e.Input).ToArray());
        Assert.IsTrue(report.IsWithin(1e-7), report.ToString());
        Assert.IsGreaterThan(0.0, report.MaxAbsoluteError, "central differences are never exact");
        StringAssert.Contains(report.ToString(), "w: ");
    }

    [TestMethod]
    public void GradientThatDisagreesWithTheDifferences_IsCaught_AtItsElement()
    {
        // relu's gradient at exactly 0 is 0 (torch's choice); the central difference there is one half.
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1.0, 0.0, -1.0]));
        Value y = x.Relu().Sum();
        GradientCheckReport report = GradientCheck.Run(g.Build(), y);

        GradientError error = report.Inputs.Single();
        Assert.IsFalse(report.IsWithin(1e-3), report.ToString());
        Assert.AreEqual(1, error.WorstElement);
        Assert.AreEqual(0.0, error.Analytic);
        Assert.AreEqual(0.5, error.Numeric, 1e-9);
        Assert.AreEqual(0.5, error.MaxAbsoluteError, 1e-9);
        Assert.AreEqual(1.0, error.MaxRelativeError, 1e-9);
    }

    [TestMethod]
    public void Float32Graph_OrAnOutputWithoutAGradient_IsRefused_WithTheFix()
    {
        var single = new GraphBuilder();
        Value a = single.Parameter("single", Tensor.FromArray([1f, 2f])).Sum();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => GradientCheck.Run(single.Build(), a)).Message, "Build the graph in float64");

        var frozen = new GraphBuilder();
        Value b = frozen.Parameter("frozen", Tensor.FromArray([1.0, 2.0]), requiresGrad: false).Sum();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => GradientCheck.Run(frozen.Build(), b)).Message, "does not require a gradient");
    }

    [TestMethod]
    public void InputThatRequiresAGradient_WithoutAValue_IsRefused_NamingIt()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2), DType.Float64, requiresGrad: true);
        Value y = (x * x).Sum();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => GradientCheck.Run(g.Build(), y));
        StringAssert.Contains(e.Message, "'x'");
    }
}
