using Graph.Runtime.Execution;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Execution;

/// <summary>
/// The worker pool's budget: loops borrow workers only while fewer than Budget threads work on parallel loops, a loop
/// that finds the budget spent runs on its caller alone, every token and worker comes back, and a failing part or a
/// disposed pool never leaves a loop waiting. Each test has a pool of its own, so the sessions other tests run on the
/// shared pool meanwhile do not change what it sees.
/// </summary>
[TestClass]
public sealed unsafe class WorkerPoolTests
{
    // Only for waits that a bug could make endless: a passing test waits microseconds.
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    [TestMethod]
    public void ManyTeamsOnManyThreads_NeverHoldMoreThanTheBudget_AndGiveEveryWorkerBack()
    {
        // Three callers whose loops would each take all four threads: together they want six.
        const int Budget = 4, Callers = 3, Loops = 2000, Parts = 16;
        using var pool = new WorkerPool(Budget);
        WorkerTeam[] teams = Enumerable.Range(0, Callers).Select(_ => new WorkerTeam(Budget, pool)).ToArray();
        int[][] counts = Enumerable.Range(0, Callers).Select(_ => new int[Parts]).ToArray();

        ConcurrentThreads.Run(Callers, t =>
        {
            fixed (int* p = counts[t])
            {
                for (int loop = 0; loop < Loops; loop++)
                {
                    teams[t].For(Parts, new CountBody(p, spin: 200));
                }
            }
        });

        foreach (int[] count in counts)
        {
            CollectionAssert.AreEqual(Enumerable.Repeat(Loops, Parts).ToArray(), count);
        }

        Assert.IsLessThanOrEqualTo(Budget, pool.PeakWorking, "threads working on parallel loops at once");
        Assert.IsGreaterThan(0L, teams.Sum(t => t.WorkerLoopsJoined), "no loop borrowed a worker: the budget went untested");

        // A worker lent to a loop that closed before it woke holds its token until it wakes and finds the loop over.
        SpinWait.SpinUntil(() => pool.Working == 0 && pool.IdleWorkers == pool.WorkerCount, s_patience);
        Assert.AreEqual(0, pool.Working, "a token was not given back");
        Assert.AreEqual(pool.WorkerCount, pool.IdleWorkers, "a worker did not come back to the pool");
    }

    [TestMethod]
    public void ALoopThatFindsTheBudgetSpent_RunsOnItsCallerAlone_AndBorrowsAgainOnceItIsFree()
    {
        using var pool = new WorkerPool(2);
        using var holder = new WorkerTeam(2, pool);
        using var other = new WorkerTeam(2, pool);
        var gate = new Gate();

        // The holder's caller and its one worker each block inside a part, holding both tokens.
        var holding = new Thread(() => holder.For(2, new HoldingBody(gate)));
        holding.Start();
        try
        {
            Assert.IsTrue(gate.WaitUntilStarted(2), "the worker never joined the holder's loop");
            Assert.AreEqual(2, pool.Working);

            int[] workers = Enumerable.Repeat(-1, 8).ToArray();
            fixed (int* w = workers)
            {
                other.For(workers.Length, new RecordWorkerBody(w));
            }

            CollectionAssert.AreEqual(new int[8], workers, "a part ran off the caller while the budget was spent");
            Assert.AreEqual(0L, other.WorkerLoopsJoined);
        }
        finally
        {
            gate.Release.Set();
            holding.Join();
        }

        Assert.AreEqual(0, pool.Working);
        int[] counts = new int[16];
        fixed (int* p = counts)
        {
            for (int loop = 0; loop < 10_000 && other.WorkerLoopsJoined == 0; loop++)
            {
                other.For(counts.Length, new CountBody(p, spin: 2000));
            }
        }

        Assert.IsGreaterThan(0L, other.WorkerLoopsJoined, "the freed worker was never lent again");
    }

    [TestMethod]
    public void APartThatThrowsOnALentWorker_ReachesTheCaller_AndTheWorkerComesBack()
    {
        using var pool = new WorkerPool(2);
        using var team = new WorkerTeam(2, pool);
        var gate = new Gate();

        var error = Assert.Throws<InvalidOperationException>(() => team.For(2, new ThrowOnWorkerBody(gate)));

        StringAssert.Contains(error.Message, "on worker 1");
        Assert.AreEqual(0, pool.Working);
        Assert.AreEqual(1, pool.IdleWorkers);
        int[] counts = new int[10];
        fixed (int* p = counts)
        {
            team.For(counts.Length, new CountBody(p));
        }

        CollectionAssert.AreEqual(Enumerable.Repeat(1, 10).ToArray(), counts);
    }

    [TestMethod]
    public void APartThatThrowsOnTheCaller_IsRethrownOnlyAfterTheWorkersPartsFinish()
    {
        using var pool = new WorkerPool(2);
        using var team = new WorkerTeam(2, pool);
        var gate = new Gate();

        var error = Assert.Throws<InvalidOperationException>(() => team.For(2, new ThrowOnCallerBody(gate)));

        StringAssert.Contains(error.Message, "on the caller");
        Assert.AreEqual(1, Volatile.Read(ref gate.Finished), "the caller left the loop while a worker still ran its part");
        Assert.AreEqual(0, pool.Working);
        Assert.AreEqual(1, pool.IdleWorkers);
    }

    [TestMethod]
    public void AfterThePoolIsDisposed_LoopsRunOnTheirCallers()
    {
        var pool = new WorkerPool(3);
        using var team = new WorkerTeam(3, pool);
        pool.Dispose();
        pool.Dispose();

        int[] workers = Enumerable.Repeat(-1, 50).ToArray();
        fixed (int* w = workers)
        {
            team.For(workers.Length, new RecordWorkerBody(w));
        }

        CollectionAssert.AreEqual(new int[50], workers);
        Assert.AreEqual(0L, team.WorkerLoopsJoined);
        Assert.AreEqual(0, pool.Working);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(0));
    }

    [TestMethod]
    public void ATeamOfMoreThreadsThanTheBudget_BorrowsAtMostTheBudget()
    {
        using var pool = new WorkerPool(2);
        using var team = new WorkerTeam(5, pool);
        int[] workers = new int[64];
        fixed (int* w = workers)
        {
            for (int loop = 0; loop < 2000; loop++)
            {
                team.For(workers.Length, new RecordWorkerBody(w, spin: 200));
                Assert.IsLessThanOrEqualTo(1, workers.Max(), "a part ran as a thread the pool does not have");
            }
        }

        Assert.IsLessThanOrEqualTo(2, pool.PeakWorking);
    }

    /// <summary>What the parts of one test's loops tell each other.</summary>
    private sealed class Gate
    {
        public int Started;
        public int Finished;

        public ManualResetEventSlim Release { get; } = new();

        /// <summary>Waits until <paramref name="parts"/> parts have started (or the patience runs out: the test then fails on what follows).</summary>
        public bool WaitUntilStarted(int parts) => SpinWait.SpinUntil(() => Volatile.Read(ref Started) >= parts, s_patience);
    }

    private readonly struct CountBody(int* counts, int spin = 0) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            Thread.SpinWait(spin);
            Interlocked.Increment(ref counts[part]);
        }
    }

    private readonly struct RecordWorkerBody(int* workers, int spin = 0) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            Thread.SpinWait(spin);
            workers[part] = worker;
        }
    }

    /// <summary>Every part blocks until the test releases the gate.</summary>
    private readonly struct HoldingBody(Gate gate) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            Interlocked.Increment(ref gate.Started);
            gate.Release.Wait(s_patience);
        }
    }

    /// <summary>The caller's part waits until a worker runs the other one, which throws.</summary>
    private readonly struct ThrowOnWorkerBody(Gate gate) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            if (worker != 0)
            {
                Interlocked.Increment(ref gate.Started);
                throw new InvalidOperationException($"part {part} failed on worker {worker}");
            }

            gate.WaitUntilStarted(1);
        }
    }

    /// <summary>The caller's part throws once a worker is inside the other one, which takes a while to finish.</summary>
    private readonly struct ThrowOnCallerBody(Gate gate) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            if (worker != 0)
            {
                Interlocked.Increment(ref gate.Started);
                Thread.Sleep(50);
                Interlocked.Increment(ref gate.Finished);
                return;
            }

            gate.WaitUntilStarted(1);
            throw new InvalidOperationException($"part {part} failed on the caller");
        }
    }
}
