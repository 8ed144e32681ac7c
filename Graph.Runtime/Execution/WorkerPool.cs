using System.Numerics;

namespace Graph.Runtime.Execution;

/// <summary>
/// The worker threads that every session's parallel loops share, and the budget that keeps them from
/// oversubscribing the cores: at most <see cref="Budget"/> threads work on parallel loops at once, process-wide, the
/// loops' calling threads included. <see cref="Shared"/> has a budget of <see cref="Environment.ProcessorCount"/>,
/// so its <c>ProcessorCount − 1</c> workers are all the threads the library ever starts, however many sessions run.
/// </summary>
/// <remarks>
/// <para>
/// The budget is a count of tokens. A <see cref="WorkerTeam"/> loop takes one for its calling thread and one per
/// worker it may borrow, in one compare-exchange (<see cref="TakeTokens"/>); finds that many idle workers in one
/// compare-exchange on a bit mask (<see cref="Lend"/>); and gives its caller's token back when the loop ends. A lent
/// worker puts its own bit and token back as soon as it has run its last part (<see cref="Return"/>), before the
/// caller sees the loop finish, so the caller's next loop finds it idle. A loop that finds no token runs on its
/// calling thread alone, as a one-thread session would.
/// </para>
/// <para>
/// Tokens are held from before a thread starts a loop's parts until after it has finished them, so the number held
/// bounds the threads running parts of parallel loops at every instant. A caller that got no token runs its loop on
/// its own thread, as it runs the tape's serial kernels: that thread is the program's, not one the pool added.
/// </para>
/// </remarks>
internal sealed class WorkerPool : IDisposable
{
    private const int BitsPerWord = 64;

    private readonly PoolWorker[] _workers;

    // Bit i % 64 of word i / 64 is set while worker i waits to be lent.
    private readonly long[] _idle;

    // Tokens held: one per caller in a parallel loop, one per lent worker. At most Budget.
    private int _working;
    private int _peakWorking;
    private volatile bool _disposed;

    /// <summary>A pool of <paramref name="budget"/> − 1 workers, lending them while fewer than <paramref name="budget"/> threads work.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is less than 1.</exception>
    public WorkerPool(int budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        Budget = budget;
        _workers = new PoolWorker[budget - 1];
        _idle = new long[(_workers.Length + BitsPerWord - 1) / BitsPerWord];
        for (int i = 0; i < _workers.Length; i++)
        {
            _idle[i / BitsPerWord] |= 1L << (i % BitsPerWord);
            _workers[i] = new PoolWorker(this, i);
        }
    }

    /// <summary>The pool every session uses: a budget of one thread per processor.</summary>
    public static WorkerPool Shared { get; } = new(Environment.ProcessorCount);

    /// <summary>The most threads working on parallel loops at once, calling threads included.</summary>
    public int Budget { get; }

    /// <summary>The worker threads this pool started: <see cref="Budget"/> − 1.</summary>
    public int WorkerCount => _workers.Length;

    /// <summary>True once <see cref="Dispose"/> has run; workers that wake then exit.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Tokens held now: callers in parallel loops plus lent workers (tests check it returns to 0).</summary>
    internal int Working => Volatile.Read(ref _working);

    /// <summary>The most tokens ever held at once (tests check it never exceeds <see cref="Budget"/>).</summary>
    internal int PeakWorking => Volatile.Read(ref _peakWorking);

    /// <summary>Workers waiting to be lent now.</summary>
    internal int IdleWorkers
    {
        get
        {
            int idle = 0;
            for (int w = 0; w < _idle.Length; w++)
            {
                idle += BitOperations.PopCount((ulong)Volatile.Read(ref _idle[w]));
            }

            return idle;
        }
    }

    /// <summary>
    /// Takes a token for the calling thread and up to <paramref name="wanted"/> more for workers, as many as the
    /// budget leaves. Returns how many worker tokens it took (the caller's included, give them back with
    /// <see cref="ReleaseTokens"/> or through <see cref="Lend"/>), or −1, taking none, when the budget is spent.
    /// </summary>
    public int TakeTokens(int wanted)
    {
        int working = Volatile.Read(ref _working);
        while (working < Budget && !_disposed)
        {
            int workers = Math.Min(wanted, Budget - working - 1);
            int seen = Interlocked.CompareExchange(ref _working, working + 1 + workers, working);
            if (seen == working)
            {
                RecordPeak(working + 1 + workers);
                return workers;
            }

            working = seen;
        }

        return -1;
    }

    /// <summary>Gives back <paramref name="count"/> tokens.</summary>
    public void ReleaseTokens(int count) => Interlocked.Add(ref _working, -count);

    /// <summary>
    /// Lends up to <paramref name="count"/> idle workers (whose tokens the caller took) to loop <paramref name="loop"/>
    /// of <paramref name="team"/>, as its threads 1, 2, …, and wakes them; gives back the tokens of those it could not
    /// find idle. Returns how many it lent.
    /// </summary>
    public int Lend(WorkerTeam team, int loop, int count)
    {
        int lent = 0;
        for (int w = 0; w < _idle.Length && lent < count; w++)
        {
            long idle = Volatile.Read(ref _idle[w]);
            while (idle != 0)
            {
                long claim = LowestBits(idle, count - lent);
                long seen = Interlocked.CompareExchange(ref _idle[w], idle & ~claim, idle);
                if (seen != idle)
                {
                    idle = seen;
                    continue;
                }

                for (; claim != 0; claim &= claim - 1)
                {
                    _workers[(w * BitsPerWord) + BitOperations.TrailingZeroCount(claim)].Start(team, ++lent, loop);
                }

                break;
            }
        }

        if (lent < count)
        {
            ReleaseTokens(count - lent);
        }

        return lent;
    }

    /// <summary>
    /// Makes worker <paramref name="id"/> idle again, then gives back its token: in that order, so that a loop that
    /// takes the freed token finds an idle worker for it.
    /// </summary>
    public void Return(int id)
    {
        Interlocked.Or(ref _idle[id / BitsPerWord], 1L << (id % BitsPerWord));
        Interlocked.Decrement(ref _working);
    }

    /// <summary>Stops and joins the workers; loops after this run on their callers alone. <see cref="Shared"/> is never disposed.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (PoolWorker worker in _workers)
        {
            worker.Stop();
        }
    }

    /// <summary>The lowest <paramref name="count"/> set bits of <paramref name="bits"/> (all of them if there are fewer).</summary>
    private static long LowestBits(long bits, int count)
    {
        long taken = 0;
        for (int i = 0; i < count && bits != 0; i++)
        {
            long lowest = bits & -bits;
            taken |= lowest;
            bits ^= lowest;
        }

        return taken;
    }

    private void RecordPeak(int working)
    {
        int peak = Volatile.Read(ref _peakWorking);
        while (working > peak)
        {
            int seen = Interlocked.CompareExchange(ref _peakWorking, working, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }
}
