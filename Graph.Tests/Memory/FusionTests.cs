using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Memory;

/// <summary>Tile-by-tile execution of fused elementwise runs changes no bit of any result.</summary>
[TestClass]
public sealed class FusionTests
{
    [TestMethod]
    [DataRow(40, 10_000, DisplayName = "40 ops, a partial last tile")]
    [DataRow(200, 3 * 4096, DisplayName = "200 ops, whole tiles")]
    public void FusedChain_EqualsUnfusedBitwise_WithASoundPlan(int ops, int size)
    {
        (GraphBuilder g, Value x, Value loss) = TestModels.ElementwiseChain(ops, size);
        ComputeGraph graph = g.Build();
        CompiledGraph fused = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        CompiledGraph unfused = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], Fuse = false, PlanMemory = false });

        Assert.IsNotEmpty(fused.Forward.Fusions, "the forward tape has fused runs");
        Assert.IsNotEmpty(fused.Backward[0].Tape.Fusions, "the backward tape has fused runs");
        Assert.IsNull(MemoryPlanVerifier.FindDefect(fused));
        Tensor input = Tensor.Rand(new Shape(size), seed: 9);
        CollectionAssert.AreEqual(Run(unfused, x, input, loss), Run(fused, x, input, loss));
    }

    private static float[] Run(CompiledGraph compiled, Value x, Tensor input, Value loss)
    {
        using var session = new Session(compiled, new SessionOptions { PoisonDeadBuffers = true });
        session.SetInput(x, input);
        session.Forward();
        session.Backward();
        return [.. session.Output(loss).ToArray<float>(), .. session.Grad(compiled.Find("w"))!.ToArray<float>()];
    }
}
