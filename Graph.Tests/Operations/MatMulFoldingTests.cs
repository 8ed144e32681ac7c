using Graph.Compiler;
using Graph.Core;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Operations;

/// <summary>A transposed operand is read as stored: no transpose runs, forward or backward.</summary>
[TestClass]
public sealed class MatMulFoldingTests
{
    [TestMethod]
    public void MlpTrainingStep_RunsNoTranspose()
    {
        (GraphBuilder g, _, _, Value loss) = TestModels.Mlp(8, [12, 16, 4]);
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });

        string[] steps = compiled.Forward.Steps.Concat(compiled.Backward[0].Tape.Steps).Select(v => v.Op!.Name).ToArray();
        Assert.DoesNotContain("transpose", steps);
        Assert.DoesNotContain("permute", steps);
    }

    [TestMethod]
    public void TransposeBuiltUnderNoGrad_StillStopsTheGradient()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.Ones(new Shape(2, 3)));
        Value w = g.Parameter("w", Tensor.Ones(new Shape(4, 3)));
        Value frozen;
        using (g.NoGrad())
        {
            frozen = w.T();
        }

        Value loss = x.MatMul(frozen).Sum();
        using var session = new Graph.Runtime.Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }));
        session.Forward();
        session.Backward();

        Assert.IsNull(session.Grad(w));
        TensorAssert.AreEqual(Enumerable.Repeat(4.0, 6).ToArray(), session.Grad(x));
    }
}
