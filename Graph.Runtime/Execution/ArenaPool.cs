using System.Collections.Concurrent;
using Graph.Core;
using Microsoft.Extensions.ObjectPool;

namespace Graph.Runtime.Execution;

/// <summary>
/// Arenas, pooled by size: a session rents its arena when it is created and returns it when disposed, so that
/// creating sessions of one compiled graph again and again (a server, a test suite, many threads) reuses
/// memory instead of growing the heap. Rented arenas hold stale bytes; every kernel writes its output whole.
/// </summary>
internal static class ArenaPool
{
    private static readonly ConcurrentDictionary<long, ObjectPool<AlignedBuffer>> s_pools = new();
    private static readonly DefaultObjectPoolProvider s_provider = new();

    public static AlignedBuffer Rent(long bytes) => s_pools.GetOrAdd(bytes, Create).Get();

    public static void Return(AlignedBuffer arena) => s_pools.GetOrAdd(arena.Length, Create).Return(arena);

    private static ObjectPool<AlignedBuffer> Create(long bytes) => s_provider.Create(new ArenaPolicy(bytes));

    private sealed class ArenaPolicy(long bytes) : IPooledObjectPolicy<AlignedBuffer>
    {
        public AlignedBuffer Create() => new(bytes);

        public bool Return(AlignedBuffer obj) => obj.Length == bytes;
    }
}
