using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime;

/// <summary>A profiled session times every tape unit without allocating, and only when asked to.</summary>
[TestClass]
public sealed class SessionProfileTests
{
    [TestMethod]
    public void Profile_CountsEveryUnitOfEveryPass_AndResets()
    {
        (GraphBuilder g, Value x, Value labels, Value loss) = TestModels.Mlp(8, [12, 16, 4]);
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        using var session = new Session(compiled, new SessionOptions { Profile = true });
        session.SetInput(x, Tensor.Randn(new Shape(8, 12), seed: 1));
        session.SetInput(labels, Tensor.FromArray([0L, 1, 2, 3, 3, 2, 1, 0]));
        for (int i = 0; i < 3; i++)
        {
            session.Forward();
            session.Backward();
        }

        SessionProfile profile = session.Profile();
        int steps = compiled.Forward.Steps.Count + compiled.Backward.Sum(b => b.Tape.Steps.Count);
        Assert.AreEqual(steps, profile.Entries.Sum(e => e.Steps), "Every tape step belongs to one profiled unit.");
        Assert.IsTrue(profile.Entries.Where(e => e.Op != "accumulate").All(e => e.Calls == 3), profile.ToString());
        Assert.IsTrue(profile.ByOp().Any(op => op.Op == "matmul" && op.Steps > 0), profile.ToString());
        StringAssert.Contains(profile.ToString(), "matmul");
        Assert.IsGreaterThan(TimeSpan.Zero, profile.Total);

        session.ResetProfile();
        Assert.IsTrue(session.Profile().Entries.All(e => e.Calls == 0 && e.Time == TimeSpan.Zero));
    }

    [TestMethod]
    public void ProfiledPasses_AllocateNothing()
    {
        (GraphBuilder g, Value x, Value labels, Value loss) = TestModels.Mlp(8, [12, 16, 4]);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }), new SessionOptions { Profile = true });
        session.SetInput(x, Tensor.Randn(new Shape(8, 12), seed: 1));
        session.SetInput(labels, Tensor.FromArray([0L, 1, 2, 3, 3, 2, 1, 0]));
        session.Forward();
        session.Backward();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            session.Forward();
            session.Backward();
        }

        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void Profile_WithoutTheOption_ThrowsAndSaysHowToTurnItOn()
    {
        (GraphBuilder g, _, _, Value loss) = TestModels.Mlp(8, [12, 16, 4]);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }), new SessionOptions { Profile = false });
        var error = Assert.Throws<InvalidOperationException>(() => session.Profile());
        StringAssert.Contains(error.Message, "SessionOptions { Profile = true }");
    }
}
