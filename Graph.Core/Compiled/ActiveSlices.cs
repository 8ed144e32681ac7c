namespace Graph.Core;

/// <summary>
/// The arena slices alive at one point of a sweep over the timeline, kept pairwise disjoint: adding a slice that
/// overlaps one already present is refused. Offsets are known in advance, so a Fenwick tree over their sorted,
/// distinct values finds the nearest live slice on either side in O(log n); the verifier sweeps with this instead
/// of comparing every pair of slices, which is quadratic when thousands of values share one offset.
/// </summary>
internal sealed class ActiveSlices
{
    private readonly long[] _offsets;
    private readonly int[] _tree;
    private readonly long[] _end;
    private readonly int[] _owner;

    /// <summary>A sweep over slices that start at some of <paramref name="offsets"/>.</summary>
    public ActiveSlices(IEnumerable<long> offsets)
    {
        _offsets = offsets.Distinct().Order().ToArray();
        _tree = new int[_offsets.Length + 1];
        _end = new long[_offsets.Length];
        _owner = new int[_offsets.Length];
    }

    /// <summary>
    /// Adds the slice [<paramref name="offset"/>, <paramref name="end"/>) of <paramref name="owner"/>, or returns
    /// the owner of a live slice it would overlap (and adds nothing).
    /// </summary>
    public int? TryAdd(long offset, long end, int owner)
    {
        int index = Array.BinarySearch(_offsets, offset);
        int before = PrefixCount(index); // live slices starting below offset
        if (before > 0)
        {
            int previous = FindByRank(before);
            if (_end[previous] > offset)
            {
                return _owner[previous];
            }
        }

        // The first live slice starting at or after offset overlaps exactly when it starts before end.
        if (PrefixCount(_offsets.Length) > before)
        {
            int next = FindByRank(before + 1);
            if (_offsets[next] < end)
            {
                return _owner[next];
            }
        }

        _end[index] = end;
        _owner[index] = owner;
        Update(index, +1);
        return null;
    }

    /// <summary>Removes the live slice that starts at <paramref name="offset"/>.</summary>
    public void Remove(long offset) => Update(Array.BinarySearch(_offsets, offset), -1);

    // The number of live slices among the first count offsets.
    private int PrefixCount(int count)
    {
        int sum = 0;
        for (int i = count; i > 0; i -= i & -i)
        {
            sum += _tree[i];
        }

        return sum;
    }

    // The index of the rank-th live slice (1-based) in offset order.
    private int FindByRank(int rank)
    {
        int position = 0;
        for (int step = HighestBit(_offsets.Length); step > 0; step >>= 1)
        {
            if (position + step <= _offsets.Length && _tree[position + step] < rank)
            {
                position += step;
                rank -= _tree[position];
            }
        }

        return position;
    }

    private void Update(int index, int delta)
    {
        for (int i = index + 1; i <= _offsets.Length; i += i & -i)
        {
            _tree[i] += delta;
        }
    }

    private static int HighestBit(int n) => n == 0 ? 0 : 1 << (31 - int.LeadingZeroCount(n));
}
