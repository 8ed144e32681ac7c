
namespace Graph.Core.Planning;

/// <summary>
/// TFLite's arena planner: storages largest first (ties: earliest first, then by id), each at the best-fitting
/// gap among the already placed storages whose lifetimes overlap its own. It packs tightly, but every placement
/// looks at every storage placed before it, so it is quadratic: <see cref="PlanMemory"/> uses it for graphs of
/// up to <see cref="PlanMemory.GreedyLimit"/> storages only.
/// </summary>
internal static class GreedyBySizePlacement
{
    /// <summary>The offset of every storage, indexed by storage id, and the arena's size.</summary>
    public static (long[] Offsets, long ArenaBytes) Place(IReadOnlyList<StorageSlot> storages)
    {
        var offsets = new long[storages.Count];
        // Placed storages in offset order (ties in placement order), so a placement scans them once without sorting.
        var placed = new List<(StorageSlot Slot, long Offset)>(storages.Count);
        long arenaBytes = 0;
        foreach (StorageSlot slot in storages.OrderByDescending(s => s.Bytes).ThenBy(s => s.First).ThenBy(s => s.Id))
        {
            long offset = BestFit(placed, slot);
            placed.Insert(UpperBound(placed, offset), (slot, offset));
            offsets[slot.Id] = offset;
            arenaBytes = Math.Max(arenaBytes, Alignment.Up(offset + slot.Bytes));
        }

        return (offsets, arenaBytes);
    }

    /// <summary>The smallest gap between time-overlapping slices that fits <paramref name="candidate"/>, or the end of them all.</summary>
    private static long BestFit(List<(StorageSlot Slot, long Offset)> placed, StorageSlot candidate)
    {
        long best = -1;
        long bestGap = long.MaxValue;
        long cursor = 0;
        foreach ((StorageSlot p, long offset) in placed)
        {
            if (!p.Overlaps(candidate))
            {
                continue;
            }

            long gap = offset - cursor;
            if (gap >= candidate.Bytes && gap < bestGap)
            {
                (best, bestGap) = (cursor, gap);
            }

            cursor = Math.Max(cursor, Alignment.Up(offset + p.Bytes));
        }

        return best >= 0 ? best : cursor;
    }

    /// <summary>The index after every placed storage at or below <paramref name="offset"/>.</summary>
    private static int UpperBound(List<(StorageSlot Slot, long Offset)> placed, long offset)
    {
        int lo = 0;
        int hi = placed.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (placed[mid].Offset <= offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
