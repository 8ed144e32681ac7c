using Graph.Core;
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
}
