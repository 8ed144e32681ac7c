using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Seeds;

/// <summary>"A gentle introduction to torch.autograd": Q = 3a³ − b² with an external gradient.</summary>
[TestClass]
public sealed class AutogradIntroductionTests
{
    [TestMethod]
    public void Q_BackwardWithExternalGradient_GivesNineASquaredAndMinusTwoB()
    {
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.FromArray([2f, 3f]));
        Value b = g.Parameter("b", Tensor.FromArray([6f, 4f]));
        Value q = ((3 * a.Pow(3)) - b.Pow(2)).Named("Q");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [q] });

        using var session = new Session(compiled);
        session.Forward();
        session.Backward(q, Tensor.FromArray([1f, 1f]));

        TensorAssert.AreEqual([-12, 65], session.Output(q)); // 3·8 − 36, 3·27 − 16
        TensorAssert.AreEqual([36, 81], session.Grad(a)); // 9a²
        TensorAssert.AreEqual([-12, -8], session.Grad(b)); // −2b
        Assert.AreEqual("SubBackward", q.GradFn);
    }

    [TestMethod]
    public void Q_SumBackward_EqualsExternalGradientOfOnes()
    {
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.FromArray([2f, 3f]));
        Value b = g.Parameter("b", Tensor.FromArray([6f, 4f]));
        Value q = (3 * a.Pow(3)) - b.Pow(2);
        Value total = q.Sum();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [total] }));

        session.Forward();
        session.Backward();

        TensorAssert.AreEqual([36, 81], session.Grad(a));
        TensorAssert.AreEqual([-12, -8], session.Grad(b));
        Assert.AreEqual("SumBackward", total.GradFn);
    }
}
