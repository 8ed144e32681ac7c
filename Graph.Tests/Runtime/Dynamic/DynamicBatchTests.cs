using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Runtime.Dynamic;

/// <summary>
/// One compiled graph with a dynamic batch (-1) runs every batch size bitwise like the graph compiled with that size
/// fixed: forward, and training steps whose batch changes between steps.
/// </summary>
[TestClass]
public sealed class DynamicBatchTests
{
    private static readonly int[] s_batches = [1, 7, 64, 7];

    public static IEnumerable<object[]> Models => [["mlp"], ["cnn"]];

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void Forward_AtEachBatch_EqualsTheStaticGraphBitwise(string name)
    {
        DynamicModels.Model dynamic = Build(name, -1);
        Assert.IsTrue(dynamic.Graph.IsDynamic);
        Assert.AreEqual(-1, dynamic.Logits.Shape[0], "the batch stays symbolic through shape inference");
        using var session = new Session(dynamic.Graph);
        foreach (int batch in s_batches)
        {
            DynamicModels.Model fixedSize = Build(name, batch);
            Assert.IsFalse(fixedSize.Graph.IsDynamic);
            using var reference = new Session(fixedSize.Graph);
            (Tensor, Tensor) data = DynamicModels.Batch(fixedSize, batch, seed: 10 + batch);
            DynamicModels.Forward(session, dynamic, data);
            DynamicModels.Forward(reference, fixedSize, data);

            Tensor logits = session.Output(dynamic.Logits);
            Assert.AreEqual(new Shape(batch, 10), logits.Shape);
            CollectionAssert.AreEqual(reference.Output(fixedSize.Logits).ToArray<float>(), logits.ToArray<float>(), $"logits at batch {batch}");
            Assert.AreEqual(reference.Output(fixedSize.Loss).Item(), session.Output(dynamic.Loss).Item(), $"the mean loss over the {batch} rows");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void TrainingSteps_AtChangingBatch_EqualTheStaticGraphsBitwise(string name)
    {
        DynamicModels.Model dynamic = Build(name, -1);
        using var session = new Session(dynamic.Graph);
        var optimizer = new Sgd(session, lr: 0.1);
        Tensor[] parameters = session.Parameters.Select(p => session.ParameterValue(p).Clone()).ToArray();
        int step = 0;
        foreach (int batch in s_batches)
        {
            // The static graph of this batch starts from the parameters the reference reached (plain SGD keeps no state).
            DynamicModels.Model fixedSize = Build(name, batch);
            using var reference = new Session(fixedSize.Graph);
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].CopyTo(reference.ParameterValue(reference.Parameters[i]));
            }

            var referenceOptimizer = new Sgd(reference, lr: 0.1);
            (Tensor, Tensor) data = DynamicModels.Batch(fixedSize, batch, seed: 20 + step++);
            optimizer.ZeroGrad();
            DynamicModels.Forward(session, dynamic, data);
            session.Backward();
            optimizer.Step();
            referenceOptimizer.ZeroGrad();
            DynamicModels.Forward(reference, fixedSize, data);
            reference.Backward();
            referenceOptimizer.Step();

            Assert.AreEqual(reference.Output(fixedSize.Loss).Item(), session.Output(dynamic.Loss).Item(), $"loss at batch {batch}");
            for (int i = 0; i < parameters.Length; i++)
            {
                Value p = session.Parameters[i];
                CollectionAssert.AreEqual(reference.ParameterValue(reference.Parameters[i]).ToArray<float>(), session.ParameterValue(p).ToArray<float>(), $"{p.Name} after the step at batch {batch}");
                reference.ParameterValue(reference.Parameters[i]).CopyTo(parameters[i]);
            }
        }
    }

    [TestMethod]
    public void TrainingStep_AtASizeSeenBefore_AllocatesZeroBytes()
    {
        DynamicModels.Model dynamic = DynamicModels.Cnn(-1);
        using var session = new Session(dynamic.Graph);
        var optimizer = new Adam(session, lr: 0.01);
        (Tensor, Tensor) small = DynamicModels.Batch(dynamic, 7, seed: 1);
        (Tensor, Tensor) large = DynamicModels.Batch(dynamic, 64, seed: 2);

        void Step((Tensor, Tensor) data)
        {
            optimizer.ZeroGrad();
            DynamicModels.Forward(session, dynamic, data);
            session.Backward();
            optimizer.Step();
        }

        Step(small); // plans batch 7, the JIT, Adam's moments
        Step(large); // plans batch 64
        Step(small);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            Step(large);
            Step(small);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0L, allocated, "bytes allocated by six steps that switch between two planned sizes");
        Assert.AreEqual(2, session.PlannedShapes.Count);
        Assert.IsTrue(double.IsFinite(session.Output(dynamic.Loss).Item()));
    }

    private static DynamicModels.Model Build(string name, int batch) => name == "mlp" ? DynamicModels.Mlp(batch) : DynamicModels.Cnn(batch);
}
