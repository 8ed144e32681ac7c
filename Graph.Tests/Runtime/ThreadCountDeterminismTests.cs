using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;
using Graph.Runtime;

namespace Graph.Tests.Runtime;

/// <summary>
/// Work is split into fixed parts that do not depend on the thread count (ARCHITECTURE.md, Threads), so a whole
/// ResNet-18 training step gives bitwise the same loss, gradients and updated parameters on 1, 2 and 8 threads.
/// </summary>
[TestClass]
public sealed class ThreadCountDeterminismTests
{
    [TestMethod]
    [DataRow(2)]
    [DataRow(8)]
    public void ResNet18TrainingStep_MatchesOneThreadBitwise(int threads)
    {
        var g = new GraphBuilder();
        var model = new ResNet18(new ModuleBuilder(g));
        Value x = g.Input("x", new Shape(4, 3, 32, 32));
        Value labels = g.Input("labels", new Shape(4, 1000));
        Value loss = (model.Forward(x) - labels).Sum();
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });

        float[] Step(int threadCount)
        {
            using var session = new Session(compiled, new SessionOptions { Threads = threadCount });
            session.SetInput(x, Tensor.Rand(new Shape(4, 3, 32, 32), seed: 1));
            session.SetInput(labels, Tensor.Rand(new Shape(4, 1000), seed: 2));
            var sgd = new Sgd(session, lr: 0.01, momentum: 0.9);
            var result = new List<float>();
            for (int step = 0; step < 2; step++)
            {
                sgd.ZeroGrad();
                session.Forward();
                session.Backward();
                result.Add(session.Output(loss).AsSpan<float>()[0]);
                foreach (Value p in session.Parameters)
                {
                    result.AddRange(session.Grad(p)?.ToArray<float>() ?? []);
                }

                sgd.Step();
            }

            foreach (Value p in session.Parameters)
            {
                result.AddRange(session.ParameterValue(p).ToArray<float>());
            }

            return [.. result];
        }

        float[] one = Step(1);
        float[] many = Step(threads);
        Assert.HasCount(one.Length, many);
        for (int i = 0; i < one.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(many[i]))
            {
                Assert.Fail($"Element {i} of the step's results differs: {one[i]:R} on 1 thread, {many[i]:R} on {threads}.");
            }
        }
    }
}
