using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Runtime.Dynamic;

/// <summary><see cref="CompiledGraph.ForBatch"/>: a dynamic graph planned at one batch size, as a session of that batch runs it.</summary>
[TestClass]
public sealed class ForBatchTests
{
    [TestMethod]
    public void ForBatch_FixesTheLeadingDynamicDimensions_AndPlansTheirMemory()
    {
        DynamicModels.Model model = DynamicModels.Mlp(-1);
        Assert.IsEmpty(model.Graph.Memory.Buffers, "a dynamic graph has no plan of its own");

        CompiledGraph concrete = model.Graph.ForBatch(8);

        Assert.IsFalse(concrete.IsDynamic);
        Assert.AreEqual(new Shape(8, 12), concrete.Find("x").Shape);
        Assert.AreEqual(new Shape(8), concrete.Find("labels").Shape);
        Assert.AreEqual(new Shape(16, 12), concrete.Find("fc1.weight").Shape, "fixed shapes stay");
        Assert.IsNotEmpty(concrete.Memory.Buffers);
        Assert.IsNull(MemoryPlanVerifier.FindDefect(concrete));
    }

    [TestMethod]
    public void ForBatch_RunsLikeTheSessionAtThatBatch()
    {
        DynamicModels.Model model = DynamicModels.Mlp(-1);
        (Tensor, Tensor) data = DynamicModels.Batch(model, 8, seed: 3);
        using var dynamic = new Session(model.Graph);
        using var planned = new Session(model.Graph.ForBatch(8));

        DynamicModels.Forward(dynamic, model, data);
        DynamicModels.Forward(planned, model with { Images = planned.Graph.Find("x"), Labels = planned.Graph.Find("labels") }, data);

        CollectionAssert.AreEqual(dynamic.Output(model.Logits).ToArray<float>(), planned.Output(planned.Graph.Find("logits")).ToArray<float>());
    }

    [TestMethod]
    public void ForBatch_OfAStaticGraph_IsRefused()
    {
        CompiledGraph graph = DynamicModels.Mlp(8).Graph;
        Assert.ThrowsExactly<InvalidOperationException>(() => graph.ForBatch(8));
    }

    [TestMethod]
    public void ForBatch_BelowOne_IsRefused()
    {
        CompiledGraph graph = DynamicModels.Mlp(-1).Graph;
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => graph.ForBatch(0));
    }

    [TestMethod]
    public void ForBatch_OfAGraphDynamicInAnotherDimension_NamesTheInput()
    {
        var g = new GraphBuilder();
        Value twice = (g.Input("tokens", new Shape(4, -1)) * 2.0).Named("twice");
        CompiledGraph graph = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [twice] });

        InvalidOperationException e = Assert.ThrowsExactly<InvalidOperationException>(() => graph.ForBatch(8));

        StringAssert.Contains(e.Message, "'tokens' [4, -1]");
    }
}
