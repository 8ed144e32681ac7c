using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Runtime;

/// <summary>
/// A weight gradient computed by a matrix product (or a convolution's weight gradient) is added by that product
/// straight into the stored gradient; it must still accumulate exactly as PyTorch's <c>.grad</c> does: across
/// Backward calls, across roots, until ZeroGrad.
/// </summary>
[TestClass]
public sealed class DirectAccumulationTests
{
    [TestMethod]
    public void MatMulWeightGradient_AccumulatesAcrossBackwardCallsUntilZeroGrad()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3), DType.Float64);
        Value w = g.Parameter("w", Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2));
        Value loss = (x.MatMul(w) * 2).Sum();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }));
        session.SetInput(x, Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3));

        // d(sum(2·x·w))/dw[k, j] = 2·Σi x[i, k]: 2·(1 + 4), 2·(2 + 5), 2·(3 + 6) in each column.
        double[] once = [10, 10, 14, 14, 18, 18];
        session.Forward();
        session.Backward();
        CollectionAssert.AreEqual(once, session.Grad(w)!.ToArray<double>());
        session.Backward();
        CollectionAssert.AreEqual(once.Select(v => 2 * v).ToArray(), session.Grad(w)!.ToArray<double>());
        session.ZeroGrad();
        session.Forward();
        session.Backward();
        CollectionAssert.AreEqual(once, session.Grad(w)!.ToArray<double>());
    }

    [TestMethod]
    public void ConvolutionWeightGradient_AccumulatesAcrossBackwardCalls()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3, 2, 5, 5), DType.Float64);
        Value w = g.Parameter("w", Tensor.Randn(new Shape(4, 2, 3, 3), seed: 3, DType.Float64));
        Value loss = Ops.Conv2d(x, w, null, padding: 1).Pow(2).Sum();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }));
        session.SetInput(x, Tensor.Randn(new Shape(3, 2, 5, 5), seed: 4, DType.Float64));
        session.Forward();
        session.Backward();
        double[] once = session.Grad(w)!.ToArray<double>();
        Assert.IsTrue(once.Any(v => v != 0));
        session.Backward();
        double[] twice = session.Grad(w)!.ToArray<double>();
        for (int i = 0; i < once.Length; i++)
        {
            Assert.AreEqual(2 * once[i], twice[i], 1e-12 * Math.Abs(once[i]), $"element {i}");
        }
    }
}
