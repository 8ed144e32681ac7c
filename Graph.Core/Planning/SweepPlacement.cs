using System.Collections.Immutable;

namespace Graph.Core.Planning;

/// <summary>
/// Places storages in O(n log n) by walking the timeline once: storages are taken in order of their first step
/// (larger first within a step); before each, the storages that died earlier return their bytes to a free list
/// (merged with free neighbours); each takes the smallest free block that fits, or the free block at the top of
/// the arena extended, or new bytes at the top. Used for graphs too large for <see cref="GreedyBySizePlacement"/>,
/// whose packing is tighter but whose cost is quadratic.
/// </summary>
internal static class SweepPlacement
{
    /// <summary>The offset of every storage, indexed by storage id, and the arena's size.</summary>
    public static (long[] Offsets, long ArenaBytes) Place(IReadOnlyList<StorageSlot> storages)
    {
        var offsets = new long[storages.Count];
        var free = new FreeBlocks();
        var alive = new PriorityQueue<StorageSlot, int>();
        foreach (StorageSlot slot in storages.OrderBy(s => s.First).ThenByDescending(s => s.Bytes).ThenBy(s => s.Id))
        {
            while (alive.TryPeek(out StorageSlot dead, out int last) && last < slot.First)
            {
                alive.Dequeue();
                free.Release(offsets[dead.Id], Alignment.Up(dead.Bytes));
            }

            offsets[slot.Id] = free.Take(Alignment.Up(slot.Bytes));
            alive.Enqueue(slot, slot.Last);
        }

        return (offsets, free.ArenaBytes);
    }

    /// <summary>
    /// The free blocks below the top of the arena: ordered by (size, offset) for a best-fit lookup in O(log n),
    /// and indexed by both ends so that a released block merges with its free neighbours in O(1).
    /// </summary>
    private sealed class FreeBlocks
    {
        private readonly Dictionary<long, long> _sizeAt = [];
        private readonly Dictionary<long, long> _startEndingAt = [];
        private ImmutableSortedSet<(long Size, long Offset)> _bySize = [];
        private long _top;

        /// <summary>The most bytes the arena ever needed.</summary>
        public long ArenaBytes { get; private set; }

        /// <summary>The offset of <paramref name="bytes"/> bytes (a multiple of the alignment) taken from the free blocks or the top.</summary>
        public long Take(long bytes)
        {
            if (bytes == 0)
            {
                return 0; // an empty tensor needs no bytes of its own
            }

            int index = _bySize.IndexOf((bytes, long.MinValue));
            index = index < 0 ? ~index : index;
            long offset;
            if (index < _bySize.Count)
            {
                (long size, offset) = _bySize[index];
                Remove(offset, size);
                if (size > bytes)
                {
                    Add(offset + bytes, size - bytes);
                }
            }
            else if (_startEndingAt.TryGetValue(_top, out long start))
            {
                // The top block is too small: extend it rather than leave it as a hole below new bytes.
                Remove(start, _top - start);
                offset = start;
                _top = start + bytes;
            }
            else
            {
                offset = _top;
                _top += bytes;
            }

            ArenaBytes = Math.Max(ArenaBytes, _top);
            return offset;
        }

        /// <summary>Returns the block at <paramref name="offset"/>, merged with the free blocks on either side.</summary>
        public void Release(long offset, long bytes)
        {
            if (bytes == 0)
            {
                return;
            }

            if (_startEndingAt.TryGetValue(offset, out long before))
            {
                Remove(before, offset - before);
                bytes += offset - before;
                offset = before;
            }

            if (_sizeAt.TryGetValue(offset + bytes, out long after))
            {
                Remove(offset + bytes, after);
                bytes += after;
            }

            Add(offset, bytes);
        }

        private void Add(long offset, long size)
        {
            _sizeAt.Add(offset, size);
            _startEndingAt.Add(offset + size, offset);
            _bySize = _bySize.Add((size, offset));
        }

        private void Remove(long offset, long size)
        {
            _sizeAt.Remove(offset);
            _startEndingAt.Remove(offset + size);
            _bySize = _bySize.Remove((size, offset));
        }
    }
}
