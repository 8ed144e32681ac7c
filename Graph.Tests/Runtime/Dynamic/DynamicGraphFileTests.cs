using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.Serialization.GraphFiles;

namespace Graph.Tests.Runtime.Dynamic;

/// <summary>.graph files keep a graph's dynamic dimensions: a loaded graph or session runs every batch as the original.</summary>
[TestClass]
public sealed class DynamicGraphFileTests
{
    [TestMethod]
    public void SavedSession_LoadsDynamic_AndContinuesTrainingAtAnyBatchLikeTheOriginal()
    {
        DynamicModels.Model model = DynamicModels.Cnn(-1);
        using var directory = new TemporaryDirectory();
        string path = directory.File("cnn.graph");
        using var original = new Session(model.Graph);
        var optimizer = new Adam(original, lr: 0.01);
        Step(original, optimizer, model, DynamicModels.Batch(model, 7, seed: 1));
        GraphFile.Save(original, path);

        using Session loaded = GraphFile.LoadSession(path);
        Assert.IsTrue(loaded.Graph.IsDynamic);
        Assert.AreEqual(new Shape(-1, 3, 8, 8), loaded.Graph.Find("x").Shape);
        Assert.AreEqual(0, loaded.Graph.Memory.Buffers.Count, "a dynamic graph's plans are made per size");
        var resumed = new Adam(loaded, lr: 0.01);
        DynamicModels.Model reloaded = model with { Images = loaded.Graph.Find("x"), Labels = loaded.Graph.Find("labels"), Loss = loaded.Graph.Find("loss"), Logits = loaded.Graph.Find("logits") };
        foreach (int batch in new[] { 5, 7, 1 })
        {
            (Tensor, Tensor) data = DynamicModels.Batch(model, batch, seed: 10 + batch);
            Step(original, optimizer, model, data);
            Step(loaded, resumed, reloaded, data);
            CollectionAssert.AreEqual(original.Output(model.Logits).ToArray<float>(), loaded.Output(reloaded.Logits).ToArray<float>(), $"logits at batch {batch}");
        }

        foreach (Value p in original.Parameters)
        {
            CollectionAssert.AreEqual(original.ParameterValue(p).ToArray<float>(), loaded.ParameterValue(loaded.Graph.Find(p.Name)).ToArray<float>(), p.Name);
        }
    }

    [TestMethod]
    public void SavedGraph_LoadsDynamic_AndRunsABatchItWasNeverGiven()
    {
        DynamicModels.Model model = DynamicModels.Mlp(-1);
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        GraphFile.Save(model.Graph, path);

        CompiledGraph loaded = GraphFile.Load(path);
        Assert.AreEqual(new Shape(-1, 10), loaded.Find("logits").Shape);
        using var session = new Session(model.Graph);
        using var fromFile = new Session(loaded);
        (Tensor, Tensor) data = DynamicModels.Batch(model, 3, seed: 4);
        DynamicModels.Forward(session, model, data);
        DynamicModels.Forward(fromFile, model with { Images = loaded.Find("x"), Labels = loaded.Find("labels") }, data);
        CollectionAssert.AreEqual(session.Output(model.Logits).ToArray<float>(), fromFile.Output(loaded.Find("logits")).ToArray<float>());
    }

    private static void Step(Session session, Adam optimizer, DynamicModels.Model model, (Tensor, Tensor) data)
    {
        optimizer.ZeroGrad();
        DynamicModels.Forward(session, model, data);
        session.Backward();
        optimizer.Step();
    }
}
