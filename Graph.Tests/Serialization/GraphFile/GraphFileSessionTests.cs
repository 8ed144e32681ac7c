using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>A session saved mid-training continues, after LoadSession and a new optimizer, to the same bits as one that never stopped.</summary>
[TestClass]
public sealed class GraphFileSessionTests
{
    public static IEnumerable<object[]> Optimizers =>
    [
        ["sgd, momentum 0.9", (Func<Session, Action>)(s => new Sgd(s, lr: 0.05, momentum: 0.9).Step)],
        ["sgd, nesterov, weight decay", (Func<Session, Action>)(s => new Sgd(s, lr: 0.05, momentum: 0.9, weightDecay: 1e-3, nesterov: true).Step)],
        ["adam", (Func<Session, Action>)(s => new Adam(s, lr: 0.01).Step)],
        ["adamw", (Func<Session, Action>)(s => new AdamW(s, lr: 0.01, weightDecay: 0.05).Step)],
        ["adam, amsgrad", (Func<Session, Action>)(s => new Adam(s, lr: 0.01, beta2: 0.5, amsgrad: true).Step)],
        ["adamw, amsgrad", (Func<Session, Action>)(s => new AdamW(s, lr: 0.01, beta2: 0.5, weightDecay: 0.05, amsgrad: true).Step)],
        ["rmsprop, momentum", (Func<Session, Action>)(s => new RmsProp(s, lr: 0.01, momentum: 0.9).Step)],
        ["rmsprop, centered, weight decay", (Func<Session, Action>)(s => new RmsProp(s, lr: 0.01, weightDecay: 0.01, centered: true).Step)],
        ["adamw in groups, OneCycleLr resumed from the step count, clipped", (Func<Session, Action>)(s =>
        {
            var adamw = new AdamW(s, [new ParameterGroup([s.Graph.Find("fc1.weight"), s.Graph.Find("fc2.weight")]), new ParameterGroup([s.Graph.Find("fc1.bias"), s.Graph.Find("fc2.bias")], learningRate: 0.02, weightDecay: 0)], lr: 0.01);
            var schedule = new OneCycleLr(adamw, maxLr: 0.05, totalSteps: 20);
            schedule.Resume((int)s.OptimizerState.Steps.Select(p => p.Value).DefaultIfEmpty().Max());
            return () =>
            {
                _ = s.ClipGradNorm(0.5);
                adamw.Step();
                schedule.Step();
            };
        })],
    ];

    [TestMethod]
    [DynamicData(nameof(Optimizers))]
    public void SavedSession_ContinuesTraining_BitwiseLikeOneThatNeverStopped(string name, Func<Session, Action> optimizer)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("checkpoint.graph");
        CompiledGraph graph = GraphFileModels.Mlp();

        using var straight = new Session(graph);
        Train(straight, optimizer(straight), 20);

        using (var first = new Session(graph))
        {
            Train(first, optimizer(first), 10);
            GraphFile.Save(first, path);
        }

        using Session resumed = GraphFile.LoadSession(path);
        Assert.IsNull(resumed.Grad(resumed.Graph.Find("fc1.weight")), "gradients are not saved");
        Train(resumed, optimizer(resumed), 10);
        foreach (Value p in straight.Parameters)
        {
            CollectionAssert.AreEqual(straight.ParameterValue(p).Bytes.ToArray(), resumed.ParameterValue(resumed.Graph.Find(p.Name)).Bytes.ToArray(), $"{name}: {p.Name}");
        }

        // Without the optimizer state the same ten steps end elsewhere: the state is what the file carried.
        using var restarted = new Session(GraphFile.Load(path));
        Train(restarted, optimizer(restarted), 10);
        Value weight = restarted.Graph.Find("fc1.weight");
        CollectionAssert.AreNotEqual(straight.ParameterValue(straight.Graph.Find("fc1.weight")).ToArray<float>(), restarted.ParameterValue(weight).ToArray<float>(), $"{name}: a restart without optimizer state");
    }

    [TestMethod]
    public void SessionFile_RecordsCurrentParametersAndOptimizerState()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("checkpoint.graph");
        using var session = new Session(GraphFileModels.Mlp());
        Train(session, new Adam(session).Step, 3);
        GraphFile.Save(session, path);

        GraphFileInfo info = GraphFile.Inspect(path);
        Assert.IsTrue(info.IsSession);
        Assert.AreEqual(new Version(GraphFormat.MajorVersion, GraphFormat.MinorVersion), info.FormatVersion);
        Assert.HasCount(8, info.OptimizerSlots, "exp_avg and exp_avg_sq of four parameters");
        Assert.IsTrue(info.OptimizerSteps.Values.All(step => step == 3));
        Value bias = info.Graph.Find("fc2.bias");
        CollectionAssert.AreEqual(session.ParameterValue(session.Graph.Find("fc2.bias")).ToArray<float>(), bias.Data!.ToArray<float>(), "Load starts from the current values");
    }

    [TestMethod]
    public void SessionFile_RecordsAmsgradsMaximum_UnderTorchsSlotName()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("checkpoint.graph");
        using var session = new Session(GraphFileModels.Mlp());
        Train(session, new AdamW(session, amsgrad: true).Step, 2);
        GraphFile.Save(session, path);

        GraphFileInfo info = GraphFile.Inspect(path);
        Assert.HasCount(12, info.OptimizerSlots, "exp_avg, exp_avg_sq and max_exp_avg_sq of four parameters");
        CollectionAssert.AreEquivalent(
            new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" },
            info.OptimizerSlots.Where(s => s.Slot == "max_exp_avg_sq").Select(s => s.Parameter).ToArray());
    }

    [TestMethod]
    public void GraphFile_LoadsAsSessionWithoutOptimizerState()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("graph.graph");
        GraphFile.Save(GraphFileModels.Q(), path);

        Assert.IsFalse(GraphFile.Inspect(path).IsSession);
        using Session session = GraphFile.LoadSession(path);
        Assert.IsEmpty(session.OptimizerState.Slots);
        CollectionAssert.AreEqual(new[] { 2f, 3f }, session.ParameterValue(session.Graph.Find("a")).ToArray<float>());
    }

    private static void Train(Session session, Action step, int steps)
    {
        (Tensor x, Tensor y) = GraphFileModels.MlpBatch();
        session.SetInput(session.Graph.Find("x"), x);
        session.SetInput(session.Graph.Find("y"), y);
        for (int i = 0; i < steps; i++)
        {
            session.ZeroGrad();
            session.Forward();
            session.Backward();
            step();
        }
    }
}
