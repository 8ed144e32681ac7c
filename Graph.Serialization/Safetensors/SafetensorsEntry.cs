using Graph.Core;

namespace Graph.Serialization;

/// <summary>One tensor as a header describes it: where its bytes lie relative to the start of the data section.</summary>
internal readonly record struct SafetensorsEntry(string Name, DType DType, Shape Shape, long Begin, long End)
{
    /// <summary>The number of data bytes.</summary>
    public long ByteLength => End - Begin;
}
