using System.Collections.Concurrent;
using Microsoft.Extensions.ObjectPool;

namespace Graph.Runtime.Kernels;

/// <summary>
/// GEMM drivers pooled by thread count: a driver owns worker threads and megabytes of packing workspace, so
/// sessions rent one when they are created and give it back when disposed instead of starting threads anew.
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
