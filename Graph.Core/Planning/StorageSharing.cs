using Graph.Core.Operations;

namespace Graph.Core.Planning;

/// <summary>
/// Decides which intermediates share bytes before any are placed (NNVM's in-place option): a reshape or detach
/// of an intermediate is a view of it; an elementwise op whose input 0 has the output's type and dies at that
/// op (with every value already sharing its bytes) writes over it. A storage's lifetime is the union of its
/// values' lifetimes.
/// </summary>
internal static class StorageSharing
{
    /// <summary>
    /// The storage id of every value on a tape (indexed by value id; −1 elsewhere) and the number of storages.
    /// Values in <paramref name="readAfterStep"/> are read after the tapes (outputs, forward values a backward tape
    /// reads): their lifetimes end at the last step, so without this rule that step could write over one of them.
    /// </summary>
    public static (int[] StorageOf, int Count) Run(IReadOnlyList<Value> timeline, int[] first, int[] last, IReadOnlySet<Value> readAfterStep, bool share)
    {
        int[] storageOf = Enumerable.Repeat(-1, last.Length).ToArray();
        var keptAfter = new bool[last.Length];
        var storageLast = new List<int>();
        var storageBytes = new List<long>();
        foreach (Value v in timeline)
        {
            int storage = share ? Shareable(v, storageOf, storageLast, storageBytes, keptAfter, first[v.Id]) : -1;
            if (storage < 0)
            {
                storage = storageLast.Count;
                storageLast.Add(last[v.Id]);
                storageBytes.Add(v.Type.ByteCount);
            }
            else
            {
                storageLast[storage] = Math.Max(storageLast[storage], last[v.Id]);
            }

            storageOf[v.Id] = storage;
            if (readAfterStep.Contains(v))
            {
                keptAfter[storage] = true;
            }
        }

        return (storageOf, storageLast.Count);
    }

    private static int Shareable(Value v, int[] storageOf, List<int> storageLast, List<long> storageBytes, bool[] keptAfter, int step)
    {
        int storage = v.Inputs.Count == 0 ? -1 : storageOf[v.Input(0).Id];
        if (storage < 0 || storageBytes[storage] != v.Type.ByteCount)
        {
            return -1; // no input, or input 0 is a leaf (persistent, outside the arena)
        }

        OpTraits traits = v.Op!.Traits;
        if (traits.HasFlag(OpTraits.Alias))
        {
            return storage; // a view: neither value is written again, so sharing is safe for any lifetimes
        }

        bool inPlace = traits.HasFlag(OpTraits.ElementwiseInPlace)
            && v.Input(0).Type == v.Type
            && storageLast[storage] == step
            && !keptAfter[storage]
            && v.Inputs.Skip(1).All(other => other == v.Input(0) || storageOf[other.Id] != storage);
        return inPlace ? storage : -1;
    }
}
