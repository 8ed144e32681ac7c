using Graph.Runtime.Execution;

namespace Graph.Tests.Runtime.Execution;

/// <summary>
/// A team runs every part exactly once, on every thread count, rethrows failures, and nests serially. Each test lends
/// its team a pool of its own, as many threads as the team has on any machine, which no other test's sessions share.
/// </summary>
[TestClass]
public sealed unsafe class WorkerTeamTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(5)]
    public void For_RunsEveryPartOnce(int threads)
    {
        using var pool = new WorkerPool(threads);
        using var team = new WorkerTeam(threads, pool);
        int[] counts = new int[1000];
        fixed (int* p = counts)
        {
            for (int loop = 0; loop < 50; loop++)
            {
                team.For(counts.Length, new CountBody(p));
            }
        }

        CollectionAssert.AreEqual(Enumerable.Repeat(50, counts.Length).ToArray(), counts);
    }

    [TestMethod]
    public void For_AfterWarmUp_AllocatesNothingOnAnyThread()
    {
        using var pool = new WorkerPool(2);
        using var team = new WorkerTeam(2, pool);
        int[] counts = new int[64];
        fixed (int* p = counts)
        {
            // Parts long enough (a few microseconds) that the worker wakes in time to take some; on a loaded machine
            // it may miss many loops, so warm up until it has joined one (and so run its loop once).
            for (int warmUp = 0; warmUp < 10_000 && team.WorkerLoopsJoined == 0; warmUp++)
            {
                team.For(counts.Length, new CountBody(p, spin: 2000));
            }

            long caller = GC.GetAllocatedBytesForCurrentThread();
            long workers = team.WorkerAllocatedBytes;
            for (int loop = 0; loop < 100; loop++)
            {
                team.For(counts.Length, new CountBody(p, spin: 2000));
            }

            Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - caller, "The calling thread allocated.");
            Assert.AreEqual(0L, team.WorkerAllocatedBytes - workers, "A worker allocated.");
        }

        Assert.IsGreaterThan(0L, team.WorkerLoopsJoined);
    }

    [TestMethod]
    public void For_RethrowsAPartsException_AndKeepsWorking()
    {
        using var pool = new WorkerPool(2);
        using var team = new WorkerTeam(2, pool);
        var error = Assert.Throws<InvalidOperationException>(() => team.For(100, new ThrowingBody(37)));
        StringAssert.Contains(error.Message, "part 37");

        int[] counts = new int[10];
        fixed (int* p = counts)
        {
            team.For(counts.Length, new CountBody(p));
        }

        CollectionAssert.AreEqual(Enumerable.Repeat(1, 10).ToArray(), counts);
    }

    [TestMethod]
    public void For_InsideAPart_RunsSeriallyWithThatThreadsIndex()
    {
        using var pool = new WorkerPool(2);
        using var team = new WorkerTeam(2, pool);
        int[] outerWorker = new int[8];
        int[] innerMismatch = new int[8];
        fixed (int* outer = outerWorker, mismatch = innerMismatch)
        {
            team.For(8, new NestingBody(team, outer, mismatch));
        }

        CollectionAssert.AreEqual(new int[8], innerMismatch, "An inner part ran on another thread's index.");
    }

    [TestMethod]
    public void ManyTinyLoops_NeverLoseOrRepeatAPart()
    {
        // Loops shorter than a worker's wake-up: most close before the worker arrives, which must then not join
        // (nor run a part of) a loop that is over, or the next one twice.
        using var pool = new WorkerPool(3);
        using var team = new WorkerTeam(3, pool);
        int[] counts = new int[3];
        fixed (int* p = counts)
        {
            for (int loop = 0; loop < 20000; loop++)
            {
                team.For(counts.Length, new CountBody(p));
            }
        }

        CollectionAssert.AreEqual(new[] { 20000, 20000, 20000 }, counts);
    }

    [TestMethod]
    public void AfterDispose_ForThrows()
    {
        var team = new WorkerTeam(2);
        team.Dispose();
        team.Dispose();
        Assert.Throws<ObjectDisposedException>(() => team.For(2, new ThrowingBody(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerTeam(0));
    }

    private readonly struct CountBody(int* counts, int spin = 0) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            Thread.SpinWait(spin);
            Interlocked.Increment(ref counts[part]);
        }
    }

    private readonly struct ThrowingBody(int failingPart) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            if (part == failingPart)
            {
                throw new InvalidOperationException($"part {part} failed");
            }
        }
    }

    private readonly struct NestingBody(WorkerTeam team, int* outerWorker, int* innerMismatch) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            outerWorker[part] = worker;
            Assert.AreEqual(worker, WorkerTeam.CurrentWorker);
            team.For(4, new InnerBody(worker, innerMismatch + part));
        }
    }

    private readonly struct InnerBody(int expectedWorker, int* mismatch) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            if (worker != expectedWorker)
            {
                *mismatch += 1;
            }
        }
    }
}
