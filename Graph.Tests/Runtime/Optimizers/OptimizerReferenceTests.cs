using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Optimizers;

/// <summary>
/// Six steps of each optimizer on the fixed gradients of tools/pytorch/optimizer_reference.py, against torch.optim
/// (1.13, float64): AdamW and RmsProp in their variants, parameter groups of every optimizer, and training under a
/// scheduler (OneCycleLr cycling beta1 or momentum, CosineAnnealingLr, StepLr, LinearWarmup on groups).
/// </summary>
[TestClass]
public sealed class OptimizerReferenceTests
{
    private const double Tolerance = 1e-12;

    private static readonly Lazy<IReadOnlyDictionary<string, Tensor>> s_reference = new(() => SafetensorsFile.Read(PyTorchFixtures.Optimizers));

    /// <summary>name → optimizer and scheduler over the model, as the script's optimizer_cases.</summary>
    private static readonly Dictionary<string, Func<FixedGradients, (Optimizer Optimizer, ILearningRateScheduler? Scheduler)>> s_cases = new()
    {
        ["adamw_default"] = m => (new AdamW(m.Session), null),
        ["adamw_custom"] = m => (new AdamW(m.Session, lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1), null),
        ["adamw_no_decay"] = m => (new AdamW(m.Session, lr: 0.02, weightDecay: 0), null),
        ["rmsprop_default"] = m => (new RmsProp(m.Session), null),
        ["rmsprop_decay_momentum"] = m => (new RmsProp(m.Session, lr: 0.01, alpha: 0.9, eps: 1e-6, weightDecay: 0.05, momentum: 0.9), null),
        ["rmsprop_centered"] = m => (new RmsProp(m.Session, lr: 0.005, centered: true), null),
        ["rmsprop_centered_momentum"] = m => (new RmsProp(m.Session, lr: 0.005, alpha: 0.95, weightDecay: 0.01, momentum: 0.5, centered: true), null),
        ["groups_adamw"] = m => (new AdamW(m.Session, [new ParameterGroup([m.P0], learningRate: 0.01, weightDecay: 0.1), new ParameterGroup([m.P1])], lr: 0.003, weightDecay: 0), null),
        ["groups_sgd"] = m => (new Sgd(m.Session, [new ParameterGroup([m.P0], learningRate: 0.1), new ParameterGroup([m.P1], weightDecay: 0.2)], lr: 0.05, momentum: 0.9), null),
        ["groups_rmsprop"] = m => (new RmsProp(m.Session, [new ParameterGroup([m.P1], learningRate: 0.001), new ParameterGroup([m.P0])], lr: 0.01, weightDecay: 0.01, momentum: 0.3), null),
        ["groups_adam"] = m => (new Adam(m.Session, [new ParameterGroup([m.P0], weightDecay: 0.1), new ParameterGroup([m.P1])], lr: 0.01), null),
        ["onecycle_adamw"] = m => WithScheduler(new AdamW(m.Session, lr: 0.01, weightDecay: 0.01), o => new OneCycleLr(o, maxLr: 0.1, totalSteps: 6)),
        ["onecycle_sgd"] = m => WithScheduler(new Sgd(m.Session, lr: 0.1), o => new OneCycleLr(o, maxLr: 0.5, totalSteps: 6, annealStrategy: AnnealStrategy.Linear)),
        ["onecycle_rmsprop"] = m => WithScheduler(new RmsProp(m.Session, lr: 0.01), o => new OneCycleLr(o, maxLr: 0.02, totalSteps: 6, pctStart: 0.5)),
        ["cosine_rmsprop"] = m => WithScheduler(new RmsProp(m.Session, lr: 0.01, momentum: 0.9), o => new CosineAnnealingLr(o, tMax: 3)),
        ["steplr_adam"] = m => WithScheduler(new Adam(m.Session, lr: 0.05), o => new StepLr(o, stepSize: 2, gamma: 0.5)),
        ["warmup_groups_adamw"] = m => WithScheduler(
            new AdamW(m.Session, [new ParameterGroup([m.P0], learningRate: 0.02), new ParameterGroup([m.P1], weightDecay: 0)], lr: 0.01),
            o => new LinearWarmup(o, startFactor: 0.25, totalIterations: 4)),
        ["adamw_amsgrad"] = m => (new AdamW(m.Session, lr: 0.05, beta2: 0.5, weightDecay: 0.1, amsgrad: true), null),
        ["adam_amsgrad"] = m => (new Adam(m.Session, lr: 0.05, beta1: 0.8, beta2: 0.6, weightDecay: 0.05, amsgrad: true), null),
    };

    public static IEnumerable<object[]> Cases => s_cases.Keys.Select(k => new object[] { k });

    [TestMethod]
    public void EveryCaseOfTheScript_IsRunHere()
    {
        string[] inFile = s_reference.Value.Keys.Where(k => k.StartsWith("opt/", StringComparison.Ordinal) && k.EndsWith("/p0", StringComparison.Ordinal))
            .Select(k => k["opt/".Length..^"/p0".Length]).ToArray();
        CollectionAssert.AreEquivalent(inFile, s_cases.Keys.ToArray());
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void SixSteps_MatchTorchOptim_Float64(string name)
    {
        IReadOnlyDictionary<string, Tensor> reference = s_reference.Value;
        using FixedGradients model = FixedGradients.Create(reference);
        (Optimizer optimizer, ILearningRateScheduler? scheduler) = s_cases[name](model);
        Tensor expected0 = reference[$"opt/{name}/p0"], expected1 = reference[$"opt/{name}/p1"], lrs = reference[$"opt/{name}/lr"];
        double worst = 0;
        for (int step = 0; step < expected0.Shape[0]; step++)
        {
            double[] lr = FixedGradients.Row(lrs, step).ToArray<double>();
            CollectionAssert.AreEqual(lr, optimizer.ParameterGroups.Select(g => g.LearningRate).ToArray(), $"{name} step {step}: the groups' learning rates");
            model.Gradients(reference, step);
            optimizer.Step();
            scheduler?.Step();
            worst = Math.Max(worst, Relative.AssertClose(FixedGradients.Row(expected0, step).ToArray<double>(), model.Session.ParameterValue(model.P0), Tolerance, $"{name} p0 after step {step + 1}"));
            worst = Math.Max(worst, Relative.AssertClose(FixedGradients.Row(expected1, step).ToArray<double>(), model.Session.ParameterValue(model.P1), Tolerance, $"{name} p1 after step {step + 1}"));
        }

        Console.WriteLine($"{name}: worst relative error {worst:e2}");
        CollectionAssert.AreEqual(new[] { 1.0, 1.0 }, model.Session.ParameterValue(model.Session.Graph.Find("frozen")).ToArray<double>(), "a frozen parameter is not stepped");
    }

    [TestMethod]
    [DataRow("adamw_custom")]
    [DataRow("rmsprop_centered_momentum")]
    [DataRow("onecycle_adamw")]
    public void SixSteps_MatchTorchOptim_Float32(string name)
    {
        IReadOnlyDictionary<string, Tensor> reference = s_reference.Value;
        using FixedGradients model = FixedGradients.Create(reference, DType.Float32);
        (Optimizer optimizer, ILearningRateScheduler? scheduler) = s_cases[name](model);
        for (int step = 0; step < 6; step++)
        {
            model.Gradients(reference, step, DType.Float32);
            optimizer.Step();
            scheduler?.Step();
        }

        // The float64 reference: float32 parameters and gradients rounded once each step stay within 1e-5 of it.
        Relative.AssertClose(FixedGradients.Row(reference[$"opt/{name}/p0"], 5).ToArray<double>(), model.Session.ParameterValue(model.P0), 1e-5, $"{name} p0");
        Relative.AssertClose(FixedGradients.Row(reference[$"opt/{name}/p1"], 5).ToArray<double>(), model.Session.ParameterValue(model.P1), 1e-5, $"{name} p1");
    }

    private static (Optimizer, ILearningRateScheduler?) WithScheduler(Optimizer optimizer, Func<Optimizer, ILearningRateScheduler> scheduler) => (optimizer, scheduler(optimizer));
}
