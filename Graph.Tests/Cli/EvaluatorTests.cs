using Graph.Cli.Training;
using Graph.Core;
using Graph.Data;
using Graph.Runtime;

namespace Graph.Tests.Cli;

/// <summary>The evaluator scores every example once, whatever the batch size, and trained parameters reach the evaluation graph.</summary>
[TestClass]
public sealed class EvaluatorTests
{
    private static readonly (Dataset Train, Dataset Test) s_digits = Digits.Load(TrainingRecipe.DigitsSplitSeed);

    [TestMethod]
    public void Accuracy_IsTheSameForEveryBatchSize_IncludingARealLastBatch()
    {
        Dataset test = s_digits.Test;
        ClassifierGraph graph = ClassifierGraph.Build(TrainingRecipe.Digits, test, Shape.Dynamic, seed: 5, training: false);
        using var session = new Session(graph.Compiled);
        double one = new Evaluator(session, batchSize: 1).Accuracy(test);
        Assert.IsGreaterThan(0.0, one);

        // 359 = 5 · 64 + 39 = 3 · 100 + 59; 359 and 400 are one batch, the whole set.
        foreach (int batchSize in new[] { 64, 100, 359, 400 })
        {
            Assert.AreEqual(one, new Evaluator(session, batchSize).Accuracy(test), $"batch size {batchSize}");
        }
    }

    [TestMethod]
    public void Evaluator_OfAGraphWithAFixedBatch_IsRefused()
    {
        ClassifierGraph graph = ClassifierGraph.Build(TrainingRecipe.Digits, s_digits.Test, 32, seed: 5, training: false);
        using var session = new Session(graph.Compiled);

        var e = Assert.ThrowsExactly<ArgumentException>(() => new Evaluator(session, batchSize: 32));
        StringAssert.Contains(e.Message, "needs a dynamic batch, [-1, C, H, W]");
    }

    [TestMethod]
    public void CountCorrect_TakesTheFirstMaximum_AndOnlyTheFirstRows()
    {
        Tensor logits = Tensor.FromArray([1f, 1f, 0f, 0f, 2f, 1f, 5f, 0f, 0f], 3, 3);
        Tensor labels = Tensor.FromArray([0L, 1L, 1L], 3);

        Assert.AreEqual(2, Evaluator.CountCorrect(logits, labels, 2));
        Assert.AreEqual(2, Evaluator.CountCorrect(logits, labels, 3));
        Assert.AreEqual(0, Evaluator.CountCorrect(logits, Tensor.FromArray([1L, 0L, 0L], 3), 2));
    }

    [TestMethod]
    public void RunEpoch_GivesTheEvaluationGraphTheTrainedParametersAndRunningStatistics()
    {
        TrainSettings settings = new TrainOptions { Epochs = 1, BatchSize = 128 }.Resolve();
        using var trainer = new Trainer(settings, s_digits.Train);
        float[] initialWeight = Parameter(trainer.Model, "fc.weight");

        EpochResult result = trainer.RunEpoch(1, s_digits.Train, s_digits.Test, new NoProgress());

        CollectionAssert.AreNotEqual(initialWeight, Parameter(trainer.Model, "fc.weight"));
        Assert.IsTrue(Parameter(trainer.Model, "bn1.running_mean").Any(m => m != 0), "running means stayed at their initial zeros");
        Assert.AreEqual(result.TestAccuracy, new Evaluator(trainer.Model, batchSize: 128).Accuracy(s_digits.Test));
    }

    private static float[] Parameter(Session session, string name) => session.ParameterValue(session.Graph.Find(name)).ToArray<float>();


    private sealed class NoProgress : ITrainingProgress
    {
        public void EpochStarted(int epoch, int steps)
        {
        }

        public void StepDone(int step, double meanLoss, double examplesPerSecond)
        {
        }

        public void EpochDone(EpochResult result)
        {
        }
    }
}
