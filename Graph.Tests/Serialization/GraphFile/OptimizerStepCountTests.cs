using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// A saved Adam step count cannot poison training: a file may not hold a count above 2^53, and a count at the
/// very top of <see cref="long"/> stops there instead of wrapping to a negative one whose bias correction is NaN.
/// </summary>
[TestClass]
public sealed class OptimizerStepCountTests
{
    [TestMethod]
    public void AStepCountOfLongMaxValue_IsRefusedOnLoad()
    {
        byte[] file = SavedAdamSession(steps => steps.ForEach(s => ((List<object?>)s!)[1] = long.MaxValue));
        GraphFormatException e = Assert.ThrowsExactly<GraphFormatException>(() => GraphFileSamples.TryLoadOrThrow(file));
        StringAssert.Contains(e.Reason, $"the step count {long.MaxValue}");
    }

    [TestMethod]
    public void TheHighestStepCountAFileMayHold_LoadsAndTrainsToFiniteParameters()
    {
        byte[] file = SavedAdamSession(steps => steps.ForEach(s => ((List<object?>)s!)[1] = GraphFormat.MaxOptimizerStep));
        using Session session = GraphFile.CreateSession(GraphFileReader.Read(file));
        Train(session, new Adam(session, lr: 0.01), 2);
        AssertFinite(session);
    }

    [TestMethod]
    public void AdamAtTheLastStepCount_KeepsParametersFinite()
    {
        using var session = new Session(GraphFileModels.Mlp());
        foreach (Value p in session.Parameters.Where(p => p.RequiresGrad))
        {
            session.OptimizerState.SetStep(p.Id, long.MaxValue);
        }

        Train(session, new Adam(session, lr: 0.01), 2);
        AssertFinite(session);
        Assert.IsTrue(session.OptimizerState.Steps.All(s => s.Value == long.MaxValue), "the count stays at its top");
    }

    // A session of the MLP after two Adam steps, with its saved step counts edited.
    private static byte[] SavedAdamSession(Action<List<object?>> editSteps)
    {
        using var session = new Session(GraphFileModels.Mlp());
        Train(session, new Adam(session, lr: 0.01), 2);
        byte[] file = GraphFileWriter.ToBytes(session.Graph, session);
        return GraphFileDocument.Edit(file, c => editSteps(c.Map("session").Map("optimizer").Array("steps")));
    }

    private static void AssertFinite(Session session)
    {
        foreach (Value p in session.Parameters)
        {
            Assert.IsTrue(session.ParameterValue(p).ToArray<float>().All(float.IsFinite), $"'{p.Name}' has a NaN or infinite element");
        }
    }

    private static void Train(Session session, Optimizer optimizer, int steps)
    {
        (Tensor x, Tensor y) = GraphFileModels.MlpBatch();
        session.SetInput(session.Graph.Find("x"), x);
        session.SetInput(session.Graph.Find("y"), y);
        for (int i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            session.Forward();
            session.Backward();
            optimizer.Step();
        }
    }
}
