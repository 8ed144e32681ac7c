
namespace Graph.Serialization;

/// <summary>
/// Walks one map of a <c>.graph</c> file whose keys are strings: yields the index of each known key in
/// <c>keys</c>, skips the values of keys it does not know (fields added by a newer minor version), and
/// rejects a known key that appears twice.
/// </summary>
internal struct MapFields
{
    private readonly string[] _keys;
    private readonly string _what;
    private int _remaining;
    private ulong _seen;

    /// <summary>Reads the map header at the reader's position.</summary>
    /// <param name="reader">The reader, positioned at the map.</param>
    /// <param name="keys">The keys this version knows, at most 64.</param>
    /// <param name="what">What the map is, for messages (<c>"value 3"</c>).</param>
    public MapFields(ref BoundedReader reader, string[] keys, string what)
    {
        _keys = keys;
        _what = what;
        MapOffset = reader.AbsolutePosition;
        _remaining = reader.ReadMapHeader();
    }

    /// <summary>Where the map starts in the file.</summary>
    public long MapOffset { get; }

    /// <summary>The index of the next known key, its value next in the reader; -1 after the last entry.</summary>
    /// <exception cref="GraphFormatException">A key is not a string, or a known key appears twice.</exception>
    public int Next(ref BoundedReader reader)
    {
        while (_remaining > 0)
        {
            _remaining--;
            long keyOffset = reader.AbsolutePosition;
            string key = reader.ReadString();
            int index = Array.IndexOf(_keys, key);
            if (index < 0)
            {
                reader.Skip();
                continue;
            }

            if ((_seen & (1UL << index)) != 0)
            {
                throw new GraphFormatException(keyOffset, $"{_what} has the key '{key}' twice");
            }

            _seen |= 1UL << index;
            return index;
        }

        return -1;
    }

    /// <summary>Whether the key at <paramref name="index"/> was present.</summary>
    public readonly bool Has(int index) => (_seen & (1UL << index)) != 0;

    /// <summary>Throws unless every key in <paramref name="indices"/> was present.</summary>
    /// <exception cref="GraphFormatException">A required key is missing.</exception>
    public readonly void Require(params ReadOnlySpan<int> indices)
    {
        foreach (int index in indices)
        {
            if (!Has(index))
            {
                throw new GraphFormatException(MapOffset, $"{_what} has no '{_keys[index]}'");
            }
        }
    }
}
