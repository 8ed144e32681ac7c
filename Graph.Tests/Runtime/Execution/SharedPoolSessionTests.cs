using System.Runtime.InteropServices;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Runtime.Execution;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Execution;

/// <summary>
/// Sessions running side by side share one pool of worker threads: eight sessions at the default thread count
/// start no threads of their own, never put more than one busy thread per core on parallel loops, and each trains to
/// the bits a lone session gets; disposing sessions meanwhile hangs nobody. (Each session used to start
/// <c>Threads − 1</c> workers of its own: 8 sessions at 2 threads on 2 cores ran 5 times slower than at 1.)
/// </summary>
[TestClass]
public sealed class SharedPoolSessionTests
{
    private const int Steps = 3;

    [TestMethod]
    public void EightSessionsOnEightThreads_ShareOnePoolWithinTheBudget_AndEachGetsTheLoneSessionsBits()
    {
        const int Sessions = 8;
        int cores = Environment.ProcessorCount;
        Model model = Model.Create();
        int[][] lone = model.TrainAlone(cores);

        // With more busy callers than cores, most loops find the budget spent and run alone (as they should): a round
        // in which no loop happened to borrow a worker is run again, so that the sharing is tested too.
        long joined = 0;
        for (int round = 0; round == 0 || (round < 10 && cores > 1 && joined == 0); round++)
        {
            Session[] sessions = Enumerable.Range(0, Sessions).Select(_ => new Session(model.Compiled, new SessionOptions { Threads = cores })).ToArray();
            try
            {
                var results = new int[Sessions][][];
                ConcurrentThreads.Run(Sessions, t => results[t] = model.Train(sessions[t]));

                WorkerPool pool = sessions.Select(s => s.Team.Pool).Distinct().Single();
                Assert.AreSame(WorkerPool.Shared, pool, "the sessions borrow from the process's pool");
                Assert.IsLessThanOrEqualTo(cores - 1, pool.WorkerCount, $"worker threads started for {Sessions} sessions of {cores} threads");
                Assert.IsLessThanOrEqualTo(cores, pool.PeakWorking, "threads working on parallel loops at once");
                for (int t = 0; t < Sessions; t++)
                {
                    AssertSameBits(lone, results[t], $"round {round}, session {t}");
                }

                joined += sessions.Sum(s => s.Team.WorkerLoopsJoined);
            }
            finally
            {
                foreach (Session session in sessions)
                {
                    session.Dispose();
                }
            }
        }

        if (cores > 1)
        {
            Assert.IsGreaterThan(0L, joined, "no session borrowed a worker in 10 rounds: the sharing went untested");
        }
    }

    [TestMethod]
    public void DisposingSessionsWhileOthersRun_HangsNobody_AndTheOthersKeepTheirBits()
    {
        const int Runners = 3, Rounds = 2;
        int cores = Environment.ProcessorCount;
        Model model = Model.Create();
        int[][] lone = model.TrainAlone(cores);
        var results = new int[Runners][][][];
        int running = Runners, disposed = 0;

        ConcurrentThreads.Run(Runners + 1, t =>
        {
            if (t == Runners)
            {
                // Sessions that borrow workers for a step and are disposed while the runners' loops hold them.
                while (Volatile.Read(ref running) > 0 || disposed == 0)
                {
                    using var session = new Session(model.Compiled, new SessionOptions { Threads = cores });
                    model.Step(session, new Sgd(session, Model.LearningRate, Model.Momentum));
                    disposed++;
                }

                return;
            }

            results[t] = new int[Rounds][][];
            for (int round = 0; round < Rounds; round++)
            {
                using var session = new Session(model.Compiled, new SessionOptions { Threads = cores });
                results[t][round] = model.Train(session);
            }

            Interlocked.Decrement(ref running);
        });

        Assert.IsGreaterThan(0, disposed);
        for (int t = 0; t < Runners; t++)
        {
            for (int round = 0; round < Rounds; round++)
            {
                AssertSameBits(lone, results[t][round], $"runner {t}, round {round}");
            }
        }
    }

    private static void AssertSameBits(int[][] expected, int[][] actual, string who)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            CollectionAssert.AreEqual(expected[i], actual[i], $"{who}: tensor {i} differs from a lone session's");
        }
    }

    /// <summary>
    /// A two-layer MLP whose products (128 × 256 × 1024) and elementwise steps (128 × 1024) split into several parts,
    /// trained for <see cref="Steps"/> steps of SGD with momentum; what it observes is the bits of the loss and every parameter.
    /// </summary>
    private sealed record Model(CompiledGraph Compiled, Value Images, Value Labels, Value Loss, Tensor ImageBatch, Tensor LabelBatch)
    {
        public const double LearningRate = 0.05;
        public const double Momentum = 0.9;

        public static Model Create()
        {
            const int Batch = 128;
            (GraphBuilder g, Value x, Value labels, Value loss) = TestModels.Mlp(Batch, [256, 1024, 10]);
            CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
            Tensor images = TestModels.Uniform(new Shape(Batch, 256), 1, seed: 11);
            Tensor targets = Tensor.FromArray(Enumerable.Range(0, Batch).Select(i => (long)(i * 7 % 10)).ToArray());
            return new Model(compiled, x, labels, loss, images, targets);
        }

        public int[][] TrainAlone(int threads)
        {
            using var session = new Session(Compiled, new SessionOptions { Threads = threads });
            return Train(session);
        }

        public int[][] Train(Session session)
        {
            var optimizer = new Sgd(session, LearningRate, Momentum);
            for (int step = 0; step < Steps; step++)
            {
                Step(session, optimizer);
            }

            return [Bits(session.Output(Loss)), .. session.Parameters.Select(p => Bits(session.ParameterValue(p)))];
        }

        public void Step(Session session, Optimizer optimizer)
        {
            session.SetInput(Images, ImageBatch);
            session.SetInput(Labels, LabelBatch);
            optimizer.ZeroGrad();
            session.Forward();
            session.Backward();
            optimizer.Step();
        }

        private static int[] Bits(Tensor t) => MemoryMarshal.Cast<float, int>(t.AsSpan<float>()).ToArray();
    }
}
