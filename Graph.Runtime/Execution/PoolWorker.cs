namespace Graph.Runtime.Execution;

/// <summary>
/// One thread of a <see cref="WorkerPool"/>: it sleeps on its start signal until the pool lends it to a loop, joins
/// that loop if its caller still has parts to hand out, runs parts until none is left, and goes back to the pool.
/// </summary>
internal sealed class PoolWorker
{
    // How long a waiting thread spins before it blocks: a tape's next parallel kernel arrives within that, so workers
    // stay awake across a whole training step, serial kernels and optimizer included (see WakeSignal).
    // One millisecond, libgomp's order of magnitude: a step's gaps between parallel loops are microseconds, and a
    // worker left spinning after the last step costs an otherwise idle core a millisecond.
    private static readonly TimeSpan s_spin = TimeSpan.FromMilliseconds(1);

    private readonly WorkerPool _pool;
    private readonly int _id;
    private readonly WakeSignal _start = new(s_spin);
    private readonly Thread _thread;

    // The loop this worker was lent to, written by the lending caller before it sets the start signal.
    private WorkerTeam? _team;
    private int _index;
    private int _loop;

    /// <summary>Starts worker <paramref name="id"/> of <paramref name="pool"/>, a background thread.</summary>
    public PoolWorker(WorkerPool pool, int id)
    {
        _pool = pool;
        _id = id;
        _thread = new Thread(Run) { IsBackground = true, Name = $"Graph worker {id + 1}" };
        _thread.Start();
    }

    /// <summary>Lends this (idle) worker to loop <paramref name="loop"/> of <paramref name="team"/> as its thread <paramref name="index"/>.</summary>
    public void Start(WorkerTeam team, int index, int loop)
    {
        _team = team;
        _index = index;
        _loop = loop;
        _start.Set();
    }

    /// <summary>Wakes the thread so that it sees its pool disposed, and joins it.</summary>
    public void Stop()
    {
        _start.Set();
        _thread.Join();
    }

    private void Run()
    {
        while (true)
        {
            _start.WaitAndReset();
            if (_pool.IsDisposed)
            {
                return;
            }

            WorkerTeam team = _team!;
            int index = _index, loop = _loop;
            _team = null; // an idle worker keeps no disposed session's team alive
            if (!team.TryJoin(loop))
            {
                // Woke after the caller had run every part: nothing to do, and nobody waits for it.
                _pool.Return(_id);
                continue;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = team.RunJoined(index);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // Back in the pool before the caller can see the loop finished, so its next loop finds this worker idle.
            _pool.Return(_id);
            team.FinishJoined(error, allocated);
        }
    }
}
