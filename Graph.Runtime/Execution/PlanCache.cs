using Graph.Core;

namespace Graph.Runtime.Execution;

/// <summary>
/// The plans a dynamic graph's session made, one per concrete size of its dynamic leaves, most recently used first
/// and at most <see cref="SessionOptions.PlanCacheCapacity"/> of them: the least recently used plan is evicted (its
/// arena goes back to the pool) when a new size needs room. Looking a size up allocates nothing.
/// </summary>
internal sealed class PlanCache(Value[] keyLeaves, int capacity) : IDisposable
{
    private readonly List<(Shape[] Key, ShapePlan Plan)> _entries = [];

    /// <summary>The leaves whose shape holds a dynamic dimension, in id order: their given shapes are the key.</summary>
    public Value[] KeyLeaves { get; } = keyLeaves;

    /// <summary>The number of plans.</summary>
    public int Count => _entries.Count;

    /// <summary>The plan at <paramref name="index"/> (0 is the most recently used) and the shapes of <see cref="KeyLeaves"/> it was made for.</summary>
    public (Shape[] Key, ShapePlan Plan) this[int index] => _entries[index];

    /// <summary>The plan for the shapes of the tensors <paramref name="staged"/> holds for the key leaves, made the most recently used; null when there is none.</summary>
    public ShapePlan? Find(Tensor?[] staged)
    {
        for (int e = 0; e < _entries.Count; e++)
        {
            if (Matches(_entries[e].Key, staged))
            {
                (Shape[] Key, ShapePlan Plan) entry = _entries[e];
                _entries.RemoveAt(e);
                _entries.Insert(0, entry);
                return entry.Plan;
            }
        }

        return null;
    }

    /// <summary>Adds <paramref name="plan"/> as the most recently used, evicting (and disposing) the least recently used one beyond the capacity.</summary>
    public void Add(Shape[] key, ShapePlan plan)
    {
        _entries.Insert(0, (key, plan));
        while (_entries.Count > capacity)
        {
            _entries[^1].Plan.Dispose();
            _entries.RemoveAt(_entries.Count - 1);
        }
    }

    /// <summary>Disposes every plan.</summary>
    public void Dispose()
    {
        foreach ((_, ShapePlan plan) in _entries)
        {
            plan.Dispose();
        }

        _entries.Clear();
    }

    private bool Matches(Shape[] key, Tensor?[] staged)
    {
        for (int i = 0; i < key.Length; i++)
        {
            if (staged[KeyLeaves[i].Id] is not { } tensor || tensor.Shape != key[i])
            {
                return false;
            }
        }

        return true;
    }
}
