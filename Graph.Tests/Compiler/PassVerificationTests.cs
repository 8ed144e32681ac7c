using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;

namespace Graph.Tests.Compiler;

/// <summary>The IR verifier the compiler runs after every pass: on for the whole suite, and silent on real graphs.</summary>
[TestClass]
public sealed class PassVerificationTests
{
    [TestMethod]
    public void TheSuite_CompilesWithVerificationOn()
    {
        // test.runsettings sets GRAPH_VERIFY_PASSES=1, so every compile in every test checks every pass's IR.
        Assert.IsTrue(CompileOptions.VerifyByDefault);
    }

    [TestMethod]
    public void ResNet18TrainingGraph_HasNoDefect_BeforeOrAfterCompiling()
    {
        var g = new GraphBuilder();
        var model = new ResNet18(new ModuleBuilder(g, seed: 0, training: true), numClasses: 10);
        Value loss = model.Forward(g.Input("x", new Shape(2, 3, 32, 32))).Sum();
        ComputeGraph graph = g.Build();
        Assert.IsNull(IrVerifier.FindDefect(graph));

        CompiledGraph compiled = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], VerifyPasses = true });
        Assert.IsNull(IrVerifier.FindDefect(compiled.Graph));
        Assert.IsGreaterThan(graph.Values.Count, compiled.Graph.Values.Count, "the compiled graph holds the backward values too");
    }
}
