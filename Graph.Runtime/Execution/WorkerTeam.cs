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
/// The threads one session's kernels share: the calling thread plus workers it borrows, loop by loop, from the
/// process-wide <see cref="WorkerPool"/>, up to <see cref="ThreadCount"/> − 1 of them. <see cref="For{TBody}(int, TBody)"/>
/// hands out the parts of one loop to whichever thread is free, so a slow core does not hold the others back; what
/// each part computes depends only on its index, so results are bitwise the same for every thread count and however
/// many workers the pool had free (the determinism rule in ARCHITECTURE.md).
/// </summary>
/// <remarks>
/// One loop at a time. A loop started from inside a part (a convolution's part calling a matrix product that is
/// itself parallel) runs its parts serially on that thread, with that thread's worker index.
/// </remarks>
internal sealed unsafe class WorkerTeam : IDisposable
{
    // In _joinState's low word: set once the caller has run out of parts.
    private const int Closed = 1 << 30;

    [ThreadStatic]
    private static int t_workerIndex;

    private readonly WorkerPool _pool;

    // Workers a loop may borrow: its thread count less the caller, and no more than the pool has.
    private readonly int _maxHelpers;

    // The loop in flight, read by the workers between their join and their finish.
    private delegate*<void*, int, int, void> _invoke;
    private void* _body;
    private int _parts;
    private int _nextPart;
    private int _loop;

    // The high word is the number of the loop in flight, the low word how many workers joined it, with the Closed bit
    // set once the caller has run out of parts: a worker that wakes after that (descheduled, or late), or that was
    // lent to an earlier loop, does not join, so the caller never waits for a thread that has no part. The caller
    // waits only for the workers that joined to finish their parts.
    private long _joinState = Closed;
    private int _finished;
    private Exception? _workerError;
    private long _workerAllocatedBytes;
    private long _workerLoopsJoined;
    private volatile bool _inFlight;
    private volatile bool _disposed;

    /// <summary>
    /// A team of <paramref name="threadCount"/> threads, the caller's included, whose workers come from
    /// <paramref name="pool"/> (<see cref="WorkerPool.Shared"/> when omitted).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is less than 1.</exception>
    public WorkerTeam(int threadCount, WorkerPool? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
        _pool = pool ?? WorkerPool.Shared;
        _maxHelpers = Math.Min(threadCount - 1, _pool.WorkerCount);
    }

    /// <summary>
    /// Threads in the team, the caller's included: the most that run one loop, and the range of the worker index
    /// (the pool may lend fewer).
    /// </summary>
    public int ThreadCount { get; }

    /// <summary>The pool the team borrows its workers from.</summary>
    public WorkerPool Pool => _pool;

    /// <summary>The running thread's index in its team: 0 on a caller's thread, 1 and up on workers.</summary>
    public static int CurrentWorker => t_workerIndex;

    /// <summary>True while a loop runs; a loop started then runs serially on the thread that starts it.</summary>
    public bool InLoop => _inFlight;

    /// <summary>Bytes the workers allocated while running this team's parts, in total (tests check it stays put).</summary>
    internal long WorkerAllocatedBytes => Volatile.Read(ref _workerAllocatedBytes);

    /// <summary>Loops of this team the workers have joined, in total; tests read it to know the workers took part.</summary>
    internal long WorkerLoopsJoined => Volatile.Read(ref _workerLoopsJoined);

    /// <summary>
    /// Runs <c>body.Run(part, worker)</c> for every part in [0, <paramref name="parts"/>) and returns when all are
    /// done. An exception in any part is rethrown here after every part has finished.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The team has been disposed.</exception>
    public void For<TBody>(int parts, TBody body)
        where TBody : struct, IParallelBody
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int wanted = Math.Min(_maxHelpers, parts - 1);
        int helpers = wanted > 0 && !_inFlight ? _pool.TakeTokens(wanted) : -1;
        if (helpers <= 0)
        {
            RunSerially(parts, ref body, holdsToken: helpers == 0);
            return;
        }

        // The body lives on this stack frame, which outlives the loop: the workers read it through a pointer.
        int loop = unchecked(++_loop); // wraps harmlessly: a stale worker is late by microseconds, not 2³² loops
        _invoke = &Invoke<TBody>;
        _body = Unsafe.AsPointer(ref body);
        _parts = parts;
        _nextPart = 0;
        _finished = 0;
        _inFlight = true;
        Volatile.Write(ref _joinState, (long)loop << 32);
        Exception? workerError;
        try
        {
            _pool.Lend(this, loop, helpers);
            RunParts(0);
        }
        finally
        {
            // The data the body points to lives only as long as this call: every worker that joined must be done.
            int joined = (int)Interlocked.Exchange(ref _joinState, ((long)loop << 32) | Closed);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _finished) < joined)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            _inFlight = false;
            _body = null;
            Volatile.Write(ref _workerLoopsJoined, _workerLoopsJoined + joined);
            _pool.ReleaseTokens(1);

            // Only workers that joined write it, and they are done: a plain read, cleared only when set.
            workerError = _workerError;
            if (workerError is not null)
            {
                _workerError = null;
            }
        }

        if (workerError is not null)
        {
            ExceptionDispatchInfo.Throw(workerError);
        }
    }

    /// <summary>Marks the team disposed: loops after this throw. The workers belong to the pool and keep running.</summary>
    public void Dispose() => _disposed = true;

    /// <summary>Joins loop <paramref name="loop"/>, unless it is not the loop in flight or its caller has already closed it.</summary>
    internal bool TryJoin(int loop)
    {
        long state = Volatile.Read(ref _joinState);
        while ((int)(state >> 32) == loop && (state & Closed) == 0)
        {
            long seen = Interlocked.CompareExchange(ref _joinState, state + 1, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }

    /// <summary>On a worker that joined: claims and runs parts as thread <paramref name="index"/>; returns the exception a part threw.</summary>
    internal Exception? RunJoined(int index)
    {
        t_workerIndex = index;
        try
        {
            RunParts(index);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>On a worker that joined: hands its part's exception and its allocations to the caller, then counts itself finished.</summary>
    internal void FinishJoined(Exception? error, long allocatedBytes)
    {
        if (error is not null)
        {
            // The caller rethrows the first, once every part is done.
            Interlocked.CompareExchange(ref _workerError, error, null);
        }

        if (allocatedBytes != 0)
        {
            Interlocked.Add(ref _workerAllocatedBytes, allocatedBytes);
        }

        Interlocked.Increment(ref _finished);
    }

    private static void Invoke<TBody>(void* body, int part, int worker)
        where TBody : struct, IParallelBody => Unsafe.AsRef<TBody>(body).Run(part, worker);

    private void RunSerially<TBody>(int parts, ref TBody body, bool holdsToken)
        where TBody : struct, IParallelBody
    {
        int worker = t_workerIndex;
        try
        {
            for (int part = 0; part < parts; part++)
            {
                body.Run(part, worker);
            }
        }
        finally
        {
            if (holdsToken)
            {
                _pool.ReleaseTokens(1);
            }
        }
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
}
