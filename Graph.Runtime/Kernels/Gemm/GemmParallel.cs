using System.Numerics;
using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Runs one GEMM on the threads of a <see cref="WorkerTeam"/> (its own, whose workers it borrows from the process-wide
/// <see cref="WorkerPool"/>; the session's kernels share it through <see cref="Team"/>): the threads pack each block
/// of op(B) together, into one shared buffer, then compute a fixed grid of tiles of C, each with the running thread's
/// own <see cref="GemmWorkspace"/> for its op(A) rows (see <see cref="GemmTeamDriver{T, TKernel}"/>), so after
/// construction a call allocates nothing on any thread. Products smaller than <see cref="MinimumParallelWork"/> run
/// on the calling thread alone, where waking a worker would cost more than it saves.
/// </summary>
/// <remarks>One caller at a time: the instance holds the arguments of the call in flight for its workers.</remarks>
internal sealed unsafe class GemmParallel : IDisposable
{
    /// <summary>The m·n·k below which a call stays on the calling thread.</summary>
    public const long DefaultMinimumParallelWork = 64L * 64 * 64;

    private readonly GemmWorkspace[] _workspaces;

    private volatile bool _disposed;

    /// <summary>A driver using <paramref name="threadCount"/> threads, the caller's included.</summary>
    /// <param name="threadCount">Threads per product; 1 runs everything on the caller and borrows no worker.</param>
    /// <param name="path">The kernel path; the fastest this machine supports when omitted.</param>
    /// <param name="minimumParallelWork">The m·n·k below which a product runs on the caller alone.</param>
    /// <param name="pool">The pool the driver's team borrows workers from; <see cref="WorkerPool.Shared"/> when omitted.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is less than 1.</exception>
    public GemmParallel(int threadCount = 2, GemmKernelPath? path = null, long minimumParallelWork = DefaultMinimumParallelWork, WorkerPool? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
        MinimumParallelWork = minimumParallelWork;
        GemmKernelPath kernelPath = path ?? GemmWorkspace.BestPath;
        _workspaces = new GemmWorkspace[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            _workspaces[i] = new GemmWorkspace(kernelPath);
        }

        Team = new WorkerTeam(threadCount, pool);
    }

    /// <summary>Threads per product, the caller's included.</summary>
    public int ThreadCount { get; }

    /// <summary>The threads this driver runs on, for other kernels of the same session to share.</summary>
    public WorkerTeam Team { get; }

    /// <summary>The m·n·k below which a product runs on the caller alone.</summary>
    public long MinimumParallelWork { get; }

    /// <summary>Bytes the workers allocated while running this driver's parts; see <see cref="WorkerTeam"/>.</summary>
    internal long WorkerAllocatedBytes => Team.WorkerAllocatedBytes;

    /// <summary>Loops the worker threads have joined, in total; tests read it to know the workers took part.</summary>
    internal long WorkerLoopsJoined => Team.WorkerLoopsJoined;

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
            Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, default(NoGemmEpilogue<float>));
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
            Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, default(NoGemmEpilogue<double>));
        }
    }

    /// <summary>
    /// C = op(A) · op(B) + beta · C, then <paramref name="epilogue"/> on every block of C, each on the thread that
    /// computed it while the block is in its cache (a linear layer's bias and ReLU).
    /// </summary>
    internal void Multiply<T, TEpilogue>(
        bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, TEpilogue epilogue)
        where T : unmanaged, INumber<T>
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc, _workspaces[0]);
        fixed (T* pa = a, pb = b, pc = c)
        {
            Run(transA, transB, m, n, k, T.One, pa, lda, pb, ldb, beta, pc, ldc, epilogue);
        }
    }

    /// <summary>
    /// C = op(A) · op(B) + beta · C where <paramref name="b"/> packs op(B) [k, n] itself (a convolution's implicit
    /// column matrix): the same loop nest, tiles and k slices as a stored B, so the sums are bitwise those of the
    /// product with op(B) written out. Beta is 0 (C is overwritten) or 1 (C accumulates).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The driver has been disposed.</exception>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is too small, or a span is too short.</exception>
    internal void Multiply<T, TSource>(bool transA, int m, int n, int k, ReadOnlySpan<T> a, int lda, TSource b, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
        where TSource : struct, IPanelSource<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GemmArguments.ValidateWithoutB(transA, m, n, k, a.Length, lda, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (T* pa = a, pc = c)
        {
            if (k == 0)
            {
                GemmScaling.Scale(m, n, pc, ldc, beta);
                return;
            }

            bool serial = Team.InLoop || ThreadCount == 1 || (long)m * n * k < MinimumParallelWork;
            GemmWorkspace workspace = _workspaces[serial ? WorkerTeam.CurrentWorker : 0];
            switch (workspace.Path)
            {
                case GemmKernelPath.Avx512 when serial:
                    GemmDriver<T, Avx512Kernel<T>>.Run(transA, m, n, k, T.One, pa, lda, b, 0, beta, pc, ldc, workspace);
                    break;
                case GemmKernelPath.Avx512:
                    GemmTeamDriver<T, Avx512Kernel<T>>.Run(Team, _workspaces, transA, m, n, k, T.One, pa, lda, b, beta, pc, ldc, default(NoGemmEpilogue<T>));
                    break;
                case GemmKernelPath.Avx2 when serial:
                    GemmDriver<T, Avx2Kernel<T>>.Run(transA, m, n, k, T.One, pa, lda, b, 0, beta, pc, ldc, workspace);
                    break;
                case GemmKernelPath.Avx2:
                    GemmTeamDriver<T, Avx2Kernel<T>>.Run(Team, _workspaces, transA, m, n, k, T.One, pa, lda, b, beta, pc, ldc, default(NoGemmEpilogue<T>));
                    break;
                case GemmKernelPath.Scalar when serial:
                    GemmDriver<T, ScalarKernel<T>>.Run(transA, m, n, k, T.One, pa, lda, b, 0, beta, pc, ldc, workspace);
                    break;
                default:
                    GemmTeamDriver<T, ScalarKernel<T>>.Run(Team, _workspaces, transA, m, n, k, T.One, pa, lda, b, beta, pc, ldc, default(NoGemmEpilogue<T>));
                    break;
            }
        }
    }

    /// <summary>Marks the driver and its team disposed (the workers belong to the pool). Calls after this throw.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Team.Dispose();
    }

    private void Run<T, TEpilogue>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc, TEpilogue epilogue)
        where T : unmanaged, INumber<T>
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        // Inside another loop's part (a convolution running its samples in parallel) the product is that part's
        // alone: it runs here, with this thread's workspace. So do products too small to pay for waking a thread,
        // matrix-vector shapes (memory-bound, run unpacked) and the degenerate ones that only scale C.
        if (Team.InLoop || ThreadCount == 1 || (long)m * n * k < MinimumParallelWork || m <= 1 || n <= 1 || k == 0 || alpha == T.Zero)
        {
            Gemm.MultiplyRegionCore(transA, transB, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m, 0, n, _workspaces[WorkerTeam.CurrentWorker]);
            if (!epilogue.IsEmpty)
            {
                epilogue.Apply(0, m, 0, n, c, ldc);
            }

            return;
        }

        if (GemmNarrow.Applies<T>(m, n, k, _workspaces[0]))
        {
            Team.For((m + GemmNarrow.RowsPerPart - 1) / GemmNarrow.RowsPerPart, new NarrowBody<T, TEpilogue>(_workspaces, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue));
            return;
        }

        switch (_workspaces[0].Path)
        {
            case GemmKernelPath.Avx512:
                GemmTeamDriver<T, Avx512Kernel<T>>.Run(Team, _workspaces, transA, m, n, k, alpha, a, lda, new MatrixPanels<T>(transB, b, ldb), beta, c, ldc, epilogue);
                break;
            case GemmKernelPath.Avx2:
                GemmTeamDriver<T, Avx2Kernel<T>>.Run(Team, _workspaces, transA, m, n, k, alpha, a, lda, new MatrixPanels<T>(transB, b, ldb), beta, c, ldc, epilogue);
                break;
            default:
                GemmTeamDriver<T, ScalarKernel<T>>.Run(Team, _workspaces, transA, m, n, k, alpha, a, lda, new MatrixPanels<T>(transB, b, ldb), beta, c, ldc, epilogue);
                break;
        }
    }

    /// <summary>A fixed block of <see cref="GemmNarrow.RowsPerPart"/> rows of a narrow product per part, then its epilogue.</summary>
    private readonly struct NarrowBody<T, TEpilogue>(
        GemmWorkspace[] workspaces, bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc, TEpilogue epilogue) : IParallelBody
        where T : unmanaged, INumber<T>
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        public void Run(int part, int worker)
        {
            int first = part * GemmNarrow.RowsPerPart, end = Math.Min(m, first + GemmNarrow.RowsPerPart);
            GemmNarrow.Run(transA, transB, first, end, n, k, alpha, a, lda, b, ldb, beta, c, ldc, workspaces[worker]);
            if (!epilogue.IsEmpty)
            {
                epilogue.Apply(first, end - first, 0, n, c, ldc);
            }
        }
    }
}
