using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Seeds;

/// <summary>"Practice automatic differentiation": loss = Σ(predicted − real)², whose gradient is 2(predicted − real).</summary>
[TestClass]
public sealed class ManualGradientTests
{
    [TestMethod]
    public void SquaredErrorGradient_EqualsManualFormulaExactly()
    {
        var g = new GraphBuilder();
        Value real = g.Input("real", new Shape(3, 8));
        Value predicted = g.Input("predicted", new Shape(3, 8), requiresGrad: true);
        Value loss = (predicted - real).Pow(2).Sum();
        Value manual;
        using (g.NoGrad())
        {
            manual = (2.0 * (predicted - real)).Named("manual_gradient_predicted");
        }

        Assert.IsNull(manual.GradFn);
        using Session session = Compile.Session(g, [loss], [manual]);
        session.SetInput(real, Tensor.Rand(new Shape(3, 8), seed: 1));
        session.SetInput(predicted, Tensor.Rand(new Shape(3, 8), seed: 2));
        session.Forward();
        session.Backward();

        // manual_gradient_predicted.eq(auto_gradient_predicted).all(), as a graph of its own.
        var check = new GraphBuilder();
        Value lhs = check.Input("manual", new Shape(3, 8));
        Value rhs = check.Input("auto", new Shape(3, 8));
        Value all = lhs.Equal(rhs).All();
        using var compare = new Session(Graph.Compiler.GraphCompiler.Compile(check.Build(), new Graph.Compiler.CompileOptions { Outputs = [all] }));
        compare.SetInput(lhs, session.Output(manual));
        compare.SetInput(rhs, session.Grad(predicted)!);
        compare.Forward();
        Assert.IsTrue(compare.Output(all).AsSpan<bool>()[0], $"manual {session.Output(manual)} vs autograd {session.Grad(predicted)}");
    }
}
