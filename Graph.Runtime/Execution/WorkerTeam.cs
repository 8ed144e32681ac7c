using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Graph.Runtime.Execution;

/// <summary>
/// One part of a parallel loop. Implement it on a struct that holds the loop's pointers and sizes, so that
/// <see cref="WorkerTeam.For{TBody}(int, TBody)"/> runs it without allocating.
/// </summary>
internal interface IParallelBody
{
    /// <summary>Runs part <paramref name="part"/> of the loop.</summary>
    /// <param name="part">Which part, in [0, parts). The part, never the thread, decides what is computed.</param>
    /// <param name="worker">
    /// Which thread of the team runs it, in [0, <see cref="WorkerTeam.ThreadCount"/>): an index into per-thread
    /// scratch (packing buffers, partial sums), never an input to the result.
    /// </param>
    void Run(int part, int worker);
}

/// <summary>
/// The threads one session's kernels share: the calling thread plus workers started once, here, that sleep on a
/// signal between loops. <see cref="For{TBody}(int, TBody)"/> hands out the parts of one loop to whichever thread
/// is free, so a slow core does not hold the others back; what each part computes depends only on its index, so
/// results are bitwise the same for every thread count (the determinism rule in ARCHITECTURE.md).
/// </summary>
/// <remarks>
/// One loop at a time. A loop started from inside a part (a convolution's part calling a matrix product that is
/// itself parallel) runs its parts serially on that thread, with that thread's worker index.
/// </remarks>
internal sealed unsafe class WorkerTeam : IDisposable
{
    // How long a waiting thread spins before it blocks (rounds of Thread.SpinWait(32), a few hundred microseconds in
    // all): a tape's next kernel usually arrives within that, so workers stay awake across a whole pass.
    private const int SpinIterations = 100;

    private const int Closed = 1 << 30;

    [ThreadStatic]
    private static int t_workerIndex;

    private readonly Worker[] _workers;

    // The loop in flight, read by the workers between their start and done signals.
    private delegate*<void*, int, int, void> _invoke;
    private void* _body;
    private int _parts;
    private int _nextPart;

    // How many workers joined the loop in flight, with the Closed bit set once the caller has run out of parts: a
    // worker that wakes after that (descheduled, or late) does not join, so the caller never waits for a thread that
    // has no part. The caller waits only for the workers that joined to finish their parts.
    private int _joinState = Closed;
    private int _finished;
    private volatile bool _inFlight;
    private volatile bool _disposed;

    /// <summary>A team of <paramref name="threadCount"/> threads, the caller's included.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is less than 1.</exception>
    public WorkerTeam(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
        _workers = new Worker[threadCount - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(this, i + 1);
        }
    }

    /// <summary>Threads in the team, the caller's included.</summary>
    public int ThreadCount { get; }

    /// <summary>The running thread's index in its team: 0 on a caller's thread, 1 and up on workers.</summary>
    public static int CurrentWorker => t_workerIndex;

    /// <summary>True while a loop runs; a loop started then runs serially on the thread that starts it.</summary>
    public bool InLoop => _inFlight;

    /// <summary>Bytes the worker threads had allocated, in total, when each last finished a loop (tests check it stays put).</summary>
    internal long WorkerAllocatedBytes
    {
        get
        {
            long total = 0;
            foreach (Worker worker in _workers)
            {
                total += Volatile.Read(ref worker.AllocatedBytes);
            }

            return total;
        }
    }

    /// <summary>Loops the worker threads have joined, in total; tests read it to know the workers took part.</summary>
    internal long WorkerLoopsJoined
    {
        get
        {
            long total = 0;
            foreach (Worker worker in _workers)
            {
                total += Volatile.Read(ref worker.LoopsJoined);
            }

            return total;
        }
    }

    /// <summary>
    /// Runs <c>body.Run(part, worker)</c> for every part in [0, <paramref name="parts"/>) and returns when all are
    /// done. An exception in any part is rethrown here after every part has finished.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The team has been disposed.</exception>
    public void For<TBody>(int parts, TBody body)
        where TBody : struct, IParallelBody
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int helpers = Math.Min(_workers.Length, parts - 1);
        if (helpers <= 0 || _inFlight)
        {
            int worker = t_workerIndex;
            for (int part = 0; part < parts; part++)
            {
                body.Run(part, worker);
            }

            return;
        }

        // The body lives on this stack frame, which outlives the loop: the workers read it through a pointer.
        _invoke = &Invoke<TBody>;
        _body = Unsafe.AsPointer(ref body);
        _parts = parts;
        _nextPart = 0;
        _finished = 0;
        _inFlight = true;
        Volatile.Write(ref _joinState, 0);
        for (int i = 0; i < helpers; i++)
        {
            _workers[i].Begin();
        }

        try
        {
            RunParts(0);
        }
        finally
        {
            // The data the body points to lives only as long as this call: every worker that joined must be done.
            int joined = Interlocked.Exchange(ref _joinState, Closed);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _finished) < joined)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            _inFlight = false;
            _body = null;
        }

        for (int i = 0; i < helpers; i++)
        {
            _workers[i].ThrowIfFailed();
        }
    }

    /// <summary>Stops and joins the worker threads. Loops after this throw.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (Worker worker in _workers)
        {
            worker.Stop();
        }
    }

    private static void Invoke<TBody>(void* body, int part, int worker)
        where TBody : struct, IParallelBody => Unsafe.AsRef<TBody>(body).Run(part, worker);

    /// <summary>Joins the loop in flight, unless there is none or its caller has already closed it.</summary>
    private bool TryJoin()
    {
        int state = Volatile.Read(ref _joinState);
        while ((state & Closed) == 0)
        {
            int seen = Interlocked.CompareExchange(ref _joinState, state + 1, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }

    /// <summary>Claims and runs parts until none is left.</summary>
    private void RunParts(int worker)
    {
        int part;
        while ((part = Interlocked.Increment(ref _nextPart) - 1) < _parts)
        {
            _invoke(_body, part, worker);
        }
    }

    /// <summary>A thread that wakes on a start signal, joins the loop in flight if it is still open, and counts itself finished.</summary>
    private sealed class Worker
    {
        /// <summary>This thread's allocation count after its last loop; see <see cref="WorkerAllocatedBytes"/>.</summary>
        public long AllocatedBytes;

        /// <summary>Loops this thread has joined; see <see cref="WorkerLoopsJoined"/>.</summary>
        public long LoopsJoined;

        private readonly WorkerTeam _owner;
        private readonly int _index;
        private readonly WakeSignal _start = new(SpinIterations);
        private readonly Thread _thread;
        private Exception? _error;

        public Worker(WorkerTeam owner, int index)
        {
            _owner = owner;
            _index = index;
            _thread = new Thread(Loop) { IsBackground = true, Name = $"Graph worker {index}" };
            _thread.Start();
        }

        public void Begin() => _start.Set();

        public void ThrowIfFailed()
        {
            Exception? error = _error;
            if (error is not null)
            {
                _error = null;
                ExceptionDispatchInfo.Throw(error);
            }
        }

        public void Stop()
        {
            _start.Set();
            _thread.Join();
        }

        private void Loop()
        {
            t_workerIndex = _index;
            while (true)
            {
                _start.WaitAndReset();
                if (_owner._disposed)
                {
                    return;
                }

                if (!_owner.TryJoin())
                {
                    continue;
                }

                try
                {
                    _owner.RunParts(_index);
                }
                catch (Exception e)
                {
                    // Handed to the caller's thread, which rethrows it once every part is done.
                    _error = e;
                }

                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                Volatile.Write(ref LoopsJoined, LoopsJoined + 1);
                Interlocked.Increment(ref _owner._finished);
            }
        }
    }
}
