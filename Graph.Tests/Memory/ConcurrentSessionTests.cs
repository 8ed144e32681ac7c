using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Memory;

/// <summary>One compiled graph backs many sessions on many threads; each gets its own arena and the same numbers.</summary>
[TestClass]
public sealed class ConcurrentSessionTests
{
    private const int Steps = 200;

    [TestMethod]
    public void EightThreads_TwoHundredSteps_MatchOneThreadBitwise()
    {
        (GraphBuilder g, Value x, Value labels, Value loss) = TestModels.Mlp(8, [12, 16, 4]);
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        Tensor images = Tensor.Randn(new Shape(8, 12), seed: 11);
        Tensor targets = Tensor.FromArray([0L, 1, 2, 3, 3, 2, 1, 0]);

        float[] Train()
        {
            using var session = new Session(compiled);
            var optimizer = new Sgd(session, lr: 0.05, momentum: 0.9);
            session.SetInput(x, images);
            session.SetInput(labels, targets);
            for (int step = 0; step < Steps; step++)
            {
                optimizer.ZeroGrad();
                session.Forward();
                session.Backward();
                optimizer.Step();
            }

            return session.Parameters.SelectMany(p => session.ParameterValue(p).ToArray<float>()).Append(session.Output(loss).AsSpan<float>()[0]).ToArray();
        }

        float[] reference = Train();
        var results = new float[8][];
        Thread[] threads = Enumerable.Range(0, 8).Select(i => new Thread(() => results[i] = Train())).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }

        foreach (Thread t in threads)
        {
            t.Join();
        }

        for (int i = 0; i < 8; i++)
        {
            CollectionAssert.AreEqual(reference, results[i], $"thread {i}");
        }

        Assert.IsLessThan(1.0f, reference[^1], "the model learned something (final loss)");
    }
}
