using System.Collections.Concurrent;
using Microsoft.Extensions.ObjectPool;

namespace Graph.Runtime.Kernels;

/// <summary>
/// GEMM drivers pooled by thread count: a driver owns megabytes of packing workspace (one per thread), so sessions
/// rent one when they are created and give it back when disposed instead of allocating it anew. (The threads are
/// not the driver's: every driver borrows them from <see cref="Execution.WorkerPool.Shared"/>.)
/// </summary>
internal static class GemmPool
{
    private static readonly ConcurrentDictionary<int, ObjectPool<GemmParallel>> s_pools = new();
    private static readonly DefaultObjectPoolProvider s_provider = new();

    public static GemmParallel Rent(int threads) => s_pools.GetOrAdd(threads, Create).Get();

    public static void Return(GemmParallel gemm) => s_pools.GetOrAdd(gemm.ThreadCount, Create).Return(gemm);

    private static ObjectPool<GemmParallel> Create(int threads) => s_provider.Create(new Policy(threads));

    private sealed class Policy(int threads) : IPooledObjectPolicy<GemmParallel>
    {
        public GemmParallel Create() => new(threads);

        public bool Return(GemmParallel obj) => true;
    }
}
