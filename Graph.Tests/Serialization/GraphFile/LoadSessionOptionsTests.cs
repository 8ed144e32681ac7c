using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary><c>GraphFile.LoadSession(path, options)</c>: the loaded session runs with the options given, its state restored as by <c>LoadSession(path)</c>.</summary>
[TestClass]
public sealed class LoadSessionOptionsTests
{
    [TestMethod]
    public void LoadedSession_RunsWithTheGivenOptions_AndKeepsTheOptimizerState()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        (Tensor x, Tensor y) = GraphFileModels.MlpBatch();
        using (var session = new Session(GraphFileModels.Mlp()))
        {
            Step(session, x, y);
            GraphFile.Save(session, path);
        }

        using Session loaded = GraphFile.LoadSession(path, new SessionOptions { Threads = 1, Profile = true });
        Step(loaded, x, y);

        Assert.IsNotEmpty(loaded.Profile().ToString(), "profiling is on, as the options said");
        Assert.AreEqual(2L, loaded.ForwardPasses);
        Assert.IsTrue(loaded.OptimizerState.Steps.All(s => s.Value == 2), "Adam's step counts continue from the saved 1");
    }

    [TestMethod]
    public void NullOptions_AreRefused()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => GraphFile.LoadSession("any.graph", null!));
    }

    private static void Step(Session session, Tensor x, Tensor y)
    {
        session.SetInput(session.Graph.Find("x"), x);
        session.SetInput(session.Graph.Find("y"), y);
        session.Forward();
        session.Backward();
        new Adam(session).Step();
    }
}
