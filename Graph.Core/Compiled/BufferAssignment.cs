namespace Graph.Core;

/// <summary>
/// Where one intermediate lives: bytes [<paramref name="Offset"/>, Offset + <paramref name="Bytes"/>) of the
/// arena, from step <paramref name="First"/> to step <paramref name="Last"/> of the timeline. Values with the same
/// <paramref name="Storage"/> share their bytes by design: an in-place op's output takes over its dying input's
/// bytes, and a reshape is a view of its input.
/// </summary>
/// <param name="Value">The value stored.</param>
/// <param name="Offset">The byte offset in the arena, a multiple of 64.</param>
/// <param name="Bytes">The value's size in bytes.</param>
/// <param name="First">The timeline step that writes it.</param>
/// <param name="Last">The last timeline step that reads it (the end of the timeline for values read after a step).</param>
/// <param name="Storage">The storage the value belongs to; values of one storage share bytes.</param>
public readonly record struct BufferAssignment(Value Value, long Offset, long Bytes, int First, int Last, int Storage)
{
    /// <summary>True when the two lifetimes share a step.</summary>
    public bool OverlapsInTime(BufferAssignment other) => First <= other.Last && other.First <= Last;

    /// <summary>True when the two buffers share a byte.</summary>
    public bool OverlapsInMemory(BufferAssignment other) => Offset < other.Offset + other.Bytes && other.Offset < Offset + Bytes;
}
