namespace Graph.Core.Planning;

/// <summary>One storage to place: its id, its size, its lifetime (the union of its values', in timeline steps, both ends included).</summary>
internal readonly record struct StorageSlot(int Id, long Bytes, int First, int Last)
{
    /// <summary>Whether the two storages are alive at a common step, so they may not share bytes.</summary>
    public bool Overlaps(StorageSlot other) => First <= other.Last && other.First <= Last;
}
