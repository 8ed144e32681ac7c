using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// Files written by format version 1.0 and committed: they must keep loading and running as the format evolves.
/// Never regenerate them; when the format changes, add new golden files next to them.
/// </summary>
[TestClass]
public sealed class GraphFileGoldenTests
{
    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Serialization", "GraphFile", "Golden", name);

    [TestMethod]
    public void QGraph_1_0_LoadsAndRuns()
    {
        CompiledGraph graph = GraphFile.Load(Golden("q.graph"));
        using var session = new Session(graph);
        Value q = graph.Find("Q");
        session.Forward();
        session.Backward(q, Tensor.FromArray([1f, 1f]));

        TensorAssert.AreEqual([-12, 65], session.Output(q));
        TensorAssert.AreEqual([36, 81], session.Grad(graph.Find("a")));
        TensorAssert.AreEqual([-12, -8], session.Grad(graph.Find("b")));
        Assert.AreEqual("SubBackward", q.GradFn);
    }

    [TestMethod]
    public void QSession_1_0_ContinuesLikeAnUninterruptedRun()
    {
        // The file holds Q's session after one Sgd step (lr 0.01, momentum 0.9); a second step here must match two steps in a row.
        using Session loaded = GraphFile.LoadSession(Golden("q-session.graph"));
        TensorAssert.AreClose([1.64, 2.19], loaded.ParameterValue(loaded.Graph.Find("a")), 1e-6);
        TensorAssert.AreClose([6.12, 4.08], loaded.ParameterValue(loaded.Graph.Find("b")), 1e-6);
        Step(loaded, new Sgd(loaded, lr: 0.01, momentum: 0.9));

        using var straight = new Session(GraphFileModels.Q());
        var optimizer = new Sgd(straight, lr: 0.01, momentum: 0.9);
        Step(straight, optimizer);
        Step(straight, optimizer);
        foreach (string name in new[] { "a", "b" })
        {
            CollectionAssert.AreEqual(straight.ParameterValue(straight.Graph.Find(name)).ToArray<float>(), loaded.ParameterValue(loaded.Graph.Find(name)).ToArray<float>(), name);
        }
    }

    [TestMethod]
    public void GoldenFiles_AreVersion_1_0()
    {
        Assert.AreEqual(new Version(1, 0), GraphFile.Inspect(Golden("q.graph")).FormatVersion);
        Assert.IsTrue(GraphFile.Inspect(Golden("q-session.graph")).IsSession);
    }

    private static void Step(Session session, Sgd optimizer)
    {
        Value q = session.Graph.Find("Q");
        optimizer.ZeroGrad();
        session.Forward();
        session.Backward(q, Tensor.Ones(q.Shape));
        optimizer.Step();
    }
}
