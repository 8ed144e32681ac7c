using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Seeds;

/// <summary>"Tensor gradients and Jacobian products": out = (inp + 1)²ᵀ, backward with ones twice, then after zeroing.</summary>
[TestClass]
public sealed class JacobianProductTests
{
    private static readonly double[] s_first =
    [
        4, 2, 2, 2, 2,
        2, 4, 2, 2, 2,
        2, 2, 4, 2, 2,
        2, 2, 2, 4, 2,
    ];

    [TestMethod]
    public void BackwardTwice_Accumulates_AndZeroGradResets()
    {
        var g = new GraphBuilder();
        Value inp = g.Parameter("inp", Tensor.Eye(4, 5));
        Value output = (inp + 1).Pow(2).T().Named("out");
        using Session session = Compile.Session(g, [output]);
        Tensor ones = Tensor.Ones(new Shape(5, 4));

        session.Forward();
        session.Backward(output, ones);
        TensorAssert.AreEqual(s_first, session.Grad(inp), "first call");

        session.Backward(output, ones); // retain_graph: a second backward after one forward
        TensorAssert.AreEqual(s_first.Select(v => 2 * v).ToArray(), session.Grad(inp), "second call");

        session.ZeroGrad();
        session.Forward();
        session.Backward(output, ones);
        TensorAssert.AreEqual(s_first, session.Grad(inp), "call after zeroing gradients");
        Assert.AreEqual("TBackward", output.GradFn);
    }
}
