using System.Numerics;
using System.Runtime.ExceptionServices;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Runs one GEMM on several threads: the calling thread plus workers created once, here, that sleep on an event
/// between calls. C is cut into disjoint row (or column) bands, one per thread, each with its own
/// <see cref="GemmWorkspace"/>, so after construction a call allocates nothing on any thread. Products smaller than
/// <see cref="MinimumParallelWork"/> run on the calling thread alone, where waking a worker would cost more than it saves.
/// </summary>
/// <remarks>One caller at a time: the instance holds the arguments of the call in flight for its workers.</remarks>
internal sealed unsafe class GemmParallel : IDisposable
{
    /// <summary>The m·n·k below which a call stays on the calling thread.</summary>
    public const long DefaultMinimumParallelWork = 64L * 64 * 64;

    // Band edges are multiples of these so that every band but the last is whole micro-tiles for all kernels
    // (Mr is 8, 6 or 4; Nr is 32, 16, 8 or 4).
    private const int RowGranule = 24;
    private const int ColumnGranule = 32;

    // How long a waiting thread spins before it blocks (rounds of Thread.SpinWait(32), up to a few hundred microseconds in
    // all): long enough to catch a partner that is nearly done, short enough not to steal a core for long.
    private const int SpinIterations = 100;

    private readonly GemmWorkspace[] _workspaces;
    private readonly Worker[] _workers;
    private readonly Band[] _bands;

    // The call in flight, read by the workers between the start signal and their done signal.
    private bool _transA;
    private bool _transB;
    private int _k;
    private bool _isDouble;
    private double _alpha;
    private double _beta;
    private void* _a;
    private void* _b;
    private void* _c;
    private int _lda;
    private int _ldb;
    private int _ldc;
    private volatile bool _disposed;

    /// <summary>A driver using <paramref name="threadCount"/> threads, the caller's included.</summary>
    /// <param name="threadCount">Threads per product; 1 runs everything on the caller and starts no worker.</param>
    /// <param name="path">The kernel path; the fastest this machine supports when omitted.</param>
    /// <param name="minimumParallelWork">The m·n·k below which a product runs on the caller alone.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is less than 1.</exception>
    public GemmParallel(int threadCount = 2, GemmKernelPath? path = null, long minimumParallelWork = DefaultMinimumParallelWork)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
        MinimumParallelWork = minimumParallelWork;
        GemmKernelPath kernelPath = path ?? GemmWorkspace.BestPath;
        _workspaces = new GemmWorkspace[threadCount];
        _bands = new Band[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            _workspaces[i] = new GemmWorkspace(kernelPath);
        }

        _workers = new Worker[threadCount - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(this, i + 1);
        }
    }

    /// <summary>Threads per product, the caller's included.</summary>
    public int ThreadCount { get; }

    /// <summary>The m·n·k below which a product runs on the caller alone.</summary>
    public long MinimumParallelWork { get; }

    /// <summary>
    /// Bytes the worker threads had allocated, in total, when each last finished a band. Tests read it to check that
    /// workers allocate nothing per call; the count is cheap and exact because each thread reads its own.
    /// </summary>
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

    /// <summary>Bands the worker threads have run, in total; tests read it to know the workers took part.</summary>
    internal long WorkerBandsRun
    {
        get
        {
            long total = 0;
            foreach (Worker worker in _workers)
            {
                total += Volatile.Read(ref worker.BandsRun);
            }

            return total;
        }
    }

    /// <inheritdoc cref="Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int, GemmWorkspace)"/>
    /// <exception cref="ObjectDisposedException">The driver has been disposed.</exception>
    public void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc, _workspaces[0]);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    /// <inheritdoc cref="Gemm.Multiply(bool, bool, int, int, int, double, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, double, Span{double}, int, GemmWorkspace)"/>
    /// <exception cref="ObjectDisposedException">The driver has been disposed.</exception>
    public void Multiply(
        bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc, _workspaces[0]);
        fixed (double* pa = a, pb = b, pc = c)
        {
            Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    /// <summary>Stops and joins the worker threads. Calls after this throw.</summary>
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

    private void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc)
        where T : unmanaged, INumber<T>
    {
        int parts = PlanBands(m, n, k);
        if (parts == 1)
        {
            Gemm.MultiplyRegionCore(transA, transB, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m, 0, n, _workspaces[0]);
            return;
        }

        _transA = transA;
        _transB = transB;
        _k = k;
        _isDouble = typeof(T) == typeof(double);
        _alpha = double.CreateTruncating(alpha);
        _beta = double.CreateTruncating(beta);
        _a = a;
        _b = b;
        _c = c;
        _lda = lda;
        _ldb = ldb;
        _ldc = ldc;

        for (int i = 1; i < parts; i++)
        {
            _workers[i - 1].Begin();
        }

        try
        {
            RunBand(0);
        }
        finally
        {
            // The data is pinned only for the duration of this call: every worker must be done before returning.
            for (int i = 1; i < parts; i++)
            {
                _workers[i - 1].Wait();
            }
        }

        for (int i = 1; i < parts; i++)
        {
            _workers[i - 1].ThrowIfFailed();
        }
    }

    /// <summary>Cuts C into bands, one per thread that gets work, and returns how many bands there are.</summary>
    private int PlanBands(int m, int n, int k)
    {
        long work = (long)m * n * k;
        if (ThreadCount == 1 || work < MinimumParallelWork)
        {
            return 1;
        }

        // Cut along the longer side of C, so each band keeps as much of the shared operand's reuse as possible.
        bool byRows = m >= n;
        int length = byRows ? m : n;
        int granule = byRows ? RowGranule : ColumnGranule;
        int granules = (length + granule - 1) / granule;
        int parts = Math.Min(ThreadCount, granules);
        if (parts == 1)
        {
            return 1;
        }

        int start = 0;
        for (int i = 0; i < parts; i++)
        {
            int end = i == parts - 1 ? length : (int)((long)granules * (i + 1) / parts) * granule;
            _bands[i] = byRows ? new Band(start, end, 0, n) : new Band(0, m, start, end);
            start = end;
        }

        return parts;
    }

    private void RunBand(int index)
    {
        Band band = _bands[index];
        if (_isDouble)
        {
            Gemm.MultiplyRegionCore(
                _transA, _transB, _k, _alpha, (double*)_a, _lda, (double*)_b, _ldb, _beta, (double*)_c, _ldc,
                band.RowStart, band.RowEnd, band.ColStart, band.ColEnd, _workspaces[index]);
        }
        else
        {
            Gemm.MultiplyRegionCore(
                _transA, _transB, _k, (float)_alpha, (float*)_a, _lda, (float*)_b, _ldb, (float)_beta, (float*)_c, _ldc,
                band.RowStart, band.RowEnd, band.ColStart, band.ColEnd, _workspaces[index]);
        }
    }

    private readonly record struct Band(int RowStart, int RowEnd, int ColStart, int ColEnd);

    /// <summary>A thread that runs one band per start signal and reports on a done signal.</summary>
    private sealed class Worker
    {
        /// <summary>This thread's allocation count after its last band; see <see cref="WorkerAllocatedBytes"/>.</summary>
        public long AllocatedBytes;

        /// <summary>Bands this thread has run; see <see cref="WorkerBandsRun"/>.</summary>
        public long BandsRun;

        private readonly GemmParallel _owner;
        private readonly int _index;
        private readonly GemmSignal _start = new(SpinIterations);
        private readonly GemmSignal _done = new(SpinIterations);
        private readonly Thread _thread;
        private Exception? _error;

        public Worker(GemmParallel owner, int index)
        {
            _owner = owner;
            _index = index;
            _thread = new Thread(Loop) { IsBackground = true, Name = $"Graph GEMM worker {index}" };
            _thread.Start();
        }

        public void Begin() => _start.Set();

        public void Wait() => _done.WaitAndReset();

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
            while (true)
            {
                _start.WaitAndReset();
                if (_owner._disposed)
                {
                    return;
                }

                try
                {
                    _owner.RunBand(_index);
                }
                catch (Exception e)
                {
                    // Handed to the caller's thread, which rethrows it once every band is done.
                    _error = e;
                }

                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                Volatile.Write(ref BandsRun, BandsRun + 1);
                _done.Set();
            }
        }
    }
}
