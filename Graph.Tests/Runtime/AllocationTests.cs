using Graph.Core;
using Graph.Core.Modules;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime;

/// <summary>After the first step, a training step allocates nothing.</summary>
[TestClass]
public sealed class AllocationTests
{
    [TestMethod]
    public void ElementwiseChain_ForwardBackwardStep_AllocatesZeroBytes()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(1000));
        Value w = g.Parameter("w", Tensor.Rand(new Shape(1000), seed: 3));
        Value h = x * w;
        for (int i = 0; i < 20; i++)
        {
            h = (i % 4) switch
            {
                0 => (h * 0.5).Tanh(),
                1 => h + w,
                2 => h.Sigmoid() * h,
                _ => h - (w * 0.25),
            };
        }

        Value loss = h.Pow(2).Mean();
        using Session session = Compile.Session(g, [loss]);
        var optimizer = new Sgd(session, lr: 0.01, momentum: 0.9);
        session.SetInput(x, Tensor.Rand(new Shape(1000), seed: 4));

        void Step()
        {
            optimizer.ZeroGrad();
            session.Forward();
            session.Backward();
            optimizer.Step();
        }

        Step(); // first step: the JIT, and the optimizer's momentum buffers
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0L, allocated, "bytes allocated by 10 steady-state steps");
        Assert.IsTrue(double.IsFinite(session.Output(loss).Item()));
    }

    [TestMethod]
    public void ConvolutionalNetwork_TrainingStep_AllocatesZeroBytes()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(4, 3, 8, 8));
        Value targets = g.Input("targets", new Shape(4), DType.Int64);
        Value conv = Ops.Conv2d(x, g.Parameter("conv.weight", Tensor.Randn(new Shape(8, 3, 3, 3), seed: 1)), g.Parameter("conv.bias", Tensor.Zeros(new Shape(8))), padding: 1);
        Value normalized = Ops.BatchNorm2d(
            conv,
            g.Parameter("bn.weight", Tensor.Ones(new Shape(8))),
            g.Parameter("bn.bias", Tensor.Zeros(new Shape(8))),
            g.Parameter("bn.running_mean", Tensor.Zeros(new Shape(8)), requiresGrad: false),
            g.Parameter("bn.running_var", Tensor.Ones(new Shape(8)), requiresGrad: false),
            training: true);
        Value pooled = Ops.MaxPool2d(normalized.Relu(), 2);
        Value features = Ops.Dropout(Ops.AvgPool2d(Ops.AdaptiveAvgPool2d(pooled, 2, 2), 1).Flatten(1), 0.2, training: true);
        Value logits = Ops.Linear(features, g.Parameter("fc.weight", Tensor.Randn(new Shape(10, 32), seed: 2)), g.Parameter("fc.bias", Tensor.Zeros(new Shape(10))));
        Value loss = Ops.CrossEntropy(logits, targets);
        using Session session = Compile.Session(g, [loss]);
        var optimizer = new Adam(session, lr: 0.01);
        session.SetInput(x, Tensor.Randn(new Shape(4, 3, 8, 8), seed: 3));
        session.SetInput(targets, Tensor.FromArray([1L, 0L, 9L, 4L]));

        void Step()
        {
            optimizer.ZeroGrad();
            session.Forward();
            session.Backward();
            optimizer.Step();
        }

        Step(); // first step: the JIT, and the optimizer's moment buffers
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0L, allocated, "bytes allocated by 10 steady-state steps");
        Assert.IsTrue(double.IsFinite(session.Output(loss).Item()));
    }

    [TestMethod]
    [DataRow(false, DisplayName = "TransformerEncoderLayer stack step allocates 0 B: post-norm ReLU, no mask")]
    [DataRow(true, DisplayName = "TransformerEncoderLayer stack step allocates 0 B: pre-norm GELU, causal")]
    public void TransformerEncoderLayerStack_WithAdamWScheduleAndClipping_AllocatesZeroBytes(bool normFirst)
    {
        var g = new GraphBuilder();
        var nn = new ModuleBuilder(g, seed: 1, training: true);
        Func<Value, Value> activation = normFirst ? TransformerEncoderLayer.Gelu : TransformerEncoderLayer.Relu;
        TransformerEncoderLayer[] layers = [.. Enumerable.Range(0, 2).Select(i => new TransformerEncoderLayer(nn, $"layers.{i}", dModel: 16, nhead: 2, dimFeedforward: 32, dropout: 0.1, activation, normFirst))];
        Value x = g.Input("x", new Shape(2, 6, 16));
        Value h = x;
        foreach (TransformerEncoderLayer layer in layers)
        {
            h = layer.Forward(h, causal: normFirst);
        }

        Value loss = h.Pow(2).Mean();
        using Session session = Compile.Session(g, [loss]);
        var optimizer = new AdamW(session, lr: 1e-3);
        var schedule = new LinearWarmup(optimizer, startFactor: 0.1, totalIterations: 100);
        session.SetInput(x, Tensor.Randn(new Shape(2, 6, 16), seed: 2));

        void Step()
        {
            optimizer.ZeroGrad();
            session.Forward();
            session.Backward();
            _ = session.ClipGradNorm(1.0);
            optimizer.Step();
            schedule.Step();
        }

        Step(); // first step: the JIT, the optimizer's state and the clipping's part sums
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0L, allocated, "bytes allocated by 10 steady-state steps");
        Assert.IsTrue(double.IsFinite(session.Output(loss).Item()));
    }

    public static IEnumerable<object[]> TrainingTools =>
    [
        ["adamw", (Func<Session, Action>)(s => new AdamW(s, lr: 0.01).Step)],
        ["adam and adamw with amsgrad", (Func<Session, Action>)(s =>
        {
            var adam = new Adam(s, [new ParameterGroup([s.Graph.Find("w")])], lr: 0.01, amsgrad: true);
            var adamw = new AdamW(s, [new ParameterGroup([s.Graph.Find("b")])], lr: 0.01, amsgrad: true);
            return () =>
            {
                adam.Step();
                adamw.Step();
            };
        })],
        ["rmsprop, centered, momentum, weight decay", (Func<Session, Action>)(s => new RmsProp(s, weightDecay: 0.01, momentum: 0.9, centered: true).Step)],
        ["adamw in two groups under OneCycleLr, clipped", (Func<Session, Action>)(s =>
        {
            var adamw = new AdamW(s, [new ParameterGroup([s.Graph.Find("w")]), new ParameterGroup([s.Graph.Find("b")], weightDecay: 0)]);
            var schedule = new OneCycleLr(adamw, maxLr: 0.01, totalSteps: 100);
            return () =>
            {
                _ = s.ClipGradNorm(0.1);
                adamw.Step();
                schedule.Step();
            };
        })],
        ["sgd under CosineAnnealingLr, StepLr and LinearWarmup", (Func<Session, Action>)(s =>
        {
            var sgd = new Sgd(s, lr: 0.01, momentum: 0.9);
            LearningRateScheduler[] schedules = [new CosineAnnealingLr(sgd, tMax: 5), new StepLr(sgd, stepSize: 3), new LinearWarmup(sgd)];
            return () =>
            {
                sgd.Step();
                foreach (LearningRateScheduler schedule in schedules)
                {
                    schedule.Step();
                }
            };
        })],
    ];

    [TestMethod]
    [DynamicData(nameof(TrainingTools))]
    public void NewOptimizersSchedulesAndClipping_AllocateZeroBytes(string name, Func<Session, Action> tools)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(1000));
        Value w = g.Parameter("w", Tensor.Rand(new Shape(1000), seed: 3));
        Value b = g.Parameter("b", Tensor.Rand(new Shape(1000), seed: 5));
        Value loss = ((x * w).Tanh() + b).Pow(2).Mean();
        using Session session = Compile.Session(g, [loss]);
        Action step = tools(session);
        session.SetInput(x, Tensor.Rand(new Shape(1000), seed: 4));

        void Step()
        {
            session.ZeroGrad();
            session.Forward();
            session.Backward();
            step();
        }

        Step(); // first step: the JIT, the optimizer's state and the clipping's part sums
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0L, allocated, $"{name}: bytes allocated by 10 steady-state steps");
        Assert.IsTrue(double.IsFinite(session.Output(loss).Item()));
    }
}
