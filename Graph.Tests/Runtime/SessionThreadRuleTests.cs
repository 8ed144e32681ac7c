using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime;

/// <summary>
/// A session is used by one thread at a time: while one thread is inside a call, a call from another thread (a pass,
/// a step, a save) throws InvalidOperationException naming the rule (two threads in one session used to give wrong
/// numbers and hang).
/// A test hook holds the first thread inside its call, so the second call always meets it there.
/// </summary>
[TestClass]
public sealed class SessionThreadRuleTests
{
    [TestMethod]
    public void WhileAnotherThreadIsInForward_EveryRunningCallThrows_AndTheSessionWorksAfterwards()
    {
        (GraphBuilder g, Value x, Value labels, Value loss) = TestModels.Mlp(4, [6, 8, 3]);
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        using var session = new Session(compiled);
        var optimizer = new Sgd(session, lr: 0.1);
        Tensor images = Tensor.Randn(new Shape(4, 6), seed: 1);
        Tensor targets = Tensor.FromArray([0L, 1, 2, 0]);
        session.SetInput(x, images);
        session.SetInput(labels, targets);

        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int holder = -1;
        session.EnteredForTest = call =>
        {
            if (Environment.CurrentManagedThreadId == holder)
            {
                inside.Set();
                release.Wait();
            }
        };
        var other = new Thread(() =>
        {
            holder = Environment.CurrentManagedThreadId;
            session.Forward();
        });
        other.Start();
        inside.Wait();

        var calls = new (string Name, Action Call)[]
        {
            ("Forward", session.Forward),
            ("Backward", () => session.Backward()),
            ("SetInput", () => session.SetInput(x, images)),
            ("ZeroGrad", session.ZeroGrad),
            ("Step", optimizer.Step),
            ("ZeroGrad", optimizer.ZeroGrad),
            ("SessionWeights.Save", () => SessionWeights.Save(session, Path.Combine(Path.GetTempPath(), $"never-written-{Guid.NewGuid():N}.safetensors"))),
            ("Dispose", session.Dispose),
            ("GraphFile.Save", () => GraphFile.Save(session, Path.Combine(Path.GetTempPath(), $"never-written-{Guid.NewGuid():N}.graph"))),
        };
        try
        {
            foreach ((string name, Action call) in calls)
            {
                var e = Assert.ThrowsExactly<InvalidOperationException>(call, name);
                StringAssert.StartsWith(e.Message, $"{name}: another thread is using this session.");
                StringAssert.Contains(e.Message, "one thread at a time");
            }
        }
        finally
        {
            release.Set();
            other.Join();
        }

        session.Forward();
        session.Backward();
        optimizer.Step();
        Assert.IsTrue(float.IsFinite(session.Output(loss).AsSpan<float>()[0]));
    }
}
