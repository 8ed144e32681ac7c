using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Optimizers;

/// <summary>
/// Each scheduler's learning rates (and OneCycleLr's momentum) over 30–45 steps, against torch.optim.lr_scheduler
/// 1.13's get_last_lr() from tools/pytorch/optimizer_reference.py, to 1e-15 relative; and resuming by replay.
/// </summary>
[TestClass]
public sealed class SchedulerReferenceTests
{
    private const double Tolerance = 1e-15;

    private static readonly Lazy<IReadOnlyDictionary<string, Tensor>> s_reference = new(() => SafetensorsFile.Read(PyTorchFixtures.Optimizers));

    /// <summary>name → (optimizer, scheduler, steps), as the script's scheduler_cases.</summary>
    private static readonly Dictionary<string, (Func<Session, Optimizer> Optimizer, Func<Optimizer, LearningRateScheduler> Scheduler, int Steps)> s_cases = new()
    {
        ["steplr"] = (TwoGroups(), o => new StepLr(o, stepSize: 7, gamma: 0.5), 40),
        ["steplr_default"] = (TwoGroups(), o => new StepLr(o, stepSize: 3), 30),
        ["cosine"] = (TwoGroups(), o => new CosineAnnealingLr(o, tMax: 10, etaMin: 1e-3), 45),
        ["cosine_default"] = (TwoGroups(), o => new CosineAnnealingLr(o, tMax: 7), 31),
        ["linear"] = (TwoGroups(), o => new LinearWarmup(o, startFactor: 0.1, endFactor: 1.0, totalIterations: 8), 30),
        ["linear_down"] = (TwoGroups(), o => new LinearWarmup(o, startFactor: 1.0, endFactor: 0.2, totalIterations: 12), 30),
        ["linear_default"] = (TwoGroups(), o => new LinearWarmup(o), 30),
        ["onecycle_cos_adam"] = (s => new Adam(s, lr: 0.01), o => new OneCycleLr(o, maxLr: 0.1, totalSteps: 40), 40),
        ["onecycle_linear_sgd"] = (TwoGroups(), o => new OneCycleLr(o, maxLr: 0.2, totalSteps: 35, pctStart: 0.25, annealStrategy: AnnealStrategy.Linear, divFactor: 10, finalDivFactor: 100), 35),
        ["onecycle_three_phase_sgd"] = (TwoGroups(momentum: 0.9), o => new OneCycleLr(o, maxLr: 0.3, totalSteps: 40, threePhase: true, baseMomentum: 0.8, maxMomentum: 0.9), 40),
        ["onecycle_no_momentum_adamw"] = (s => new AdamW(s, lr: 0.01), o => new OneCycleLr(o, maxLr: 0.05, totalSteps: 33, cycleMomentum: false), 33),
    };

    public static IEnumerable<object[]> Cases => s_cases.Keys.Select(k => new object[] { k });

    [TestMethod]
    public void EveryCaseOfTheScript_IsRunHere()
    {
        string[] inFile = s_reference.Value.Keys.Where(k => k.StartsWith("sched/", StringComparison.Ordinal) && k.EndsWith("/lr", StringComparison.Ordinal))
            .Select(k => k["sched/".Length..^"/lr".Length]).ToArray();
        CollectionAssert.AreEquivalent(inFile, s_cases.Keys.ToArray());
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void LearningRates_MatchTorchStepForStep(string name)
    {
        (Func<Session, Optimizer> makeOptimizer, Func<Optimizer, LearningRateScheduler> makeScheduler, int steps) = s_cases[name];
        using Session session = TwoParameters();
        Optimizer optimizer = makeOptimizer(session);
        LearningRateScheduler scheduler = makeScheduler(optimizer);
        (double[][] rates, double[] momenta) = Run(scheduler, steps);

        Tensor expected = s_reference.Value[$"sched/{name}/lr"];
        Assert.AreEqual(steps + 1, expected.Shape[0], "one row after construction and one after each step");
        double worst = 0;
        for (int step = 0; step <= steps; step++)
        {
            worst = Math.Max(worst, Relative.AssertClose(FixedGradients.Row(expected, step).ToArray<double>(), rates[step], Tolerance, $"{name}: the rates at LastEpoch {step}"));
        }

        Relative.AssertClose(s_reference.Value[$"sched/{name}/momentum"].ToArray<double>(), momenta, Tolerance, $"{name}: momentum (beta1)");
        Console.WriteLine($"{name}: worst relative error {worst:e2}");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Resume_ReplaysToTheSameBits(string name)
    {
        (Func<Session, Optimizer> makeOptimizer, Func<Optimizer, LearningRateScheduler> makeScheduler, int steps) = s_cases[name];
        using Session session = TwoParameters();
        LearningRateScheduler straight = makeScheduler(makeOptimizer(session));
        (double[][] rates, double[] momenta) = Run(straight, steps);

        int stop = steps / 2;
        using Session other = TwoParameters();
        Optimizer optimizer = makeOptimizer(other);
        LearningRateScheduler resumed = makeScheduler(optimizer);
        resumed.Resume(stop);
        Assert.AreEqual(stop, resumed.LastEpoch);
        CollectionAssert.AreEqual(rates[stop], resumed.LastLearningRates.ToArray(), $"{name}: rates after Resume({stop})");
        Assert.AreEqual(momenta[stop], optimizer.CycledMomentum, $"{name}: momentum after Resume({stop})");
        for (int step = stop + 1; step <= steps; step++)
        {
            resumed.Step();
            CollectionAssert.AreEqual(rates[step], optimizer.ParameterGroups.Select(g => g.LearningRate).ToArray(), $"{name}: rates at {step}");
        }

        Assert.ThrowsExactly<InvalidOperationException>(() => resumed.Resume(1), "a scheduler that has stepped cannot resume");
    }

    [TestMethod]
    public void OneCycle_PastTotalSteps_Throws()
    {
        using Session session = TwoParameters();
        var scheduler = new OneCycleLr(new Sgd(session, lr: 0.1), maxLr: 1, totalSteps: 3);
        for (int i = 0; i < 3; i++)
        {
            scheduler.Step(); // LastEpoch 3 = totalSteps is still allowed, as in torch
        }

        InvalidOperationException e = Assert.ThrowsExactly<InvalidOperationException>(scheduler.Step);
        StringAssert.Contains(e.Message, "total steps is 3");
    }

    [TestMethod]
    public void Settings_OutOfRange_Throw()
    {
        using Session session = TwoParameters();
        var sgd = new Sgd(session, lr: 0.1);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new StepLr(sgd, stepSize: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CosineAnnealingLr(sgd, tMax: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new LinearWarmup(sgd, startFactor: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new LinearWarmup(sgd, endFactor: 1.5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new OneCycleLr(sgd, maxLr: 1, totalSteps: 10, pctStart: 1.5));
        ArgumentOutOfRangeException empty = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new OneCycleLr(sgd, maxLr: 1, totalSteps: 10, pctStart: 0.1));
        StringAssert.Contains(empty.Message, "empty");
        Assert.AreEqual(0.1, sgd.LearningRate, "a refused scheduler leaves the rate alone");
    }

    private static (double[][] Rates, double[] Momenta) Run(LearningRateScheduler scheduler, int steps)
    {
        var rates = new List<double[]> { scheduler.LastLearningRates.ToArray() };
        var momenta = new List<double> { scheduler.Optimizer.CycledMomentum };
        for (int i = 0; i < steps; i++)
        {
            scheduler.Optimizer.Step(); // no backward has run: nothing to update, as the script's opt.step()
            scheduler.Step();
            rates.Add(scheduler.LastLearningRates.ToArray());
            momenta.Add(scheduler.Optimizer.CycledMomentum);
            CollectionAssert.AreEqual(rates[^1], scheduler.Optimizer.ParameterGroups.Select(g => g.LearningRate).ToArray(), "the optimizer's groups hold the rates reported");
        }

        return (rates.ToArray(), momenta.ToArray());
    }

    private static Func<Session, Optimizer> TwoGroups(double momentum = 0) =>
        s => new Sgd(s, [new ParameterGroup([s.Graph.Find("a")], learningRate: 0.1), new ParameterGroup([s.Graph.Find("b")], learningRate: 0.03)], lr: 0.1, momentum: momentum);

    private static Session TwoParameters()
    {
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.Zeros(new Shape(1), DType.Float64));
        Value b = g.Parameter("b", Tensor.Zeros(new Shape(1), DType.Float64));
        return Compile.Session(g, [(a + b).Sum()]);
    }
}
