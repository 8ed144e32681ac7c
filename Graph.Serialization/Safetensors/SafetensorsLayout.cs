using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using Graph.Core;

namespace Graph.Serialization;

/// <summary>
/// What a safetensors file will hold, laid out: tensors sorted by name (so equal inputs give equal files), their
/// data back to back in that order, and the JSON header padded with spaces to a multiple of 8 bytes as the
/// reference writer does, so that the data section starts 8-byte aligned.
/// </summary>
internal sealed class SafetensorsLayout
{
    private const int HeaderAlignment = 8;

    private static readonly JsonWriterOptions s_jsonOptions = new()
    {
        Indented = false,

        // The header is read by JSON parsers, never embedded in HTML; keep names like "a+b" readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly byte[] _header;
    private readonly KeyValuePair<string, Tensor>[] _tensors;

    private SafetensorsLayout(byte[] header, KeyValuePair<string, Tensor>[] tensors, long dataLength)
    {
        _header = header;
        _tensors = tensors;
        TotalLength = SafetensorsReader.PrefixBytes + header.Length + dataLength;
    }

    /// <summary>The length of the whole file.</summary>
    public long TotalLength { get; }

    /// <summary>Checks the arguments and lays them out.</summary>
    /// <exception cref="ArgumentException">A name is null, repeated or reserved, a tensor or metadata string is null.</exception>
    public static SafetensorsLayout Create(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        KeyValuePair<string, Tensor>[] sorted = tensors.ToArray();
        foreach ((string name, Tensor tensor) in sorted)
        {
            if (name is null)
            {
                throw new ArgumentException("A tensor name is null.", nameof(tensors));
            }

            if (tensor is null)
            {
                throw new ArgumentException($"Tensor '{name}' is null.", nameof(tensors));
            }

            if (name == SafetensorsHeader.MetadataKey)
            {
                throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(tensors));
            }
        }

        // Ordinal order: the same on every machine and culture.
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Key == sorted[i - 1].Key)
            {
                throw new ArgumentException($"Tensor name '{sorted[i].Key}' appears more than once.", nameof(tensors));
            }
        }

        var json = new ArrayBufferWriter<byte>();
        long offset = 0;
        using (var writer = new Utf8JsonWriter(json, s_jsonOptions))
        {
            writer.WriteStartObject();
            if (metadata is not null)
            {
                WriteMetadata(writer, metadata);
            }

            foreach ((string name, Tensor tensor) in sorted)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", SafetensorsDTypes.Code(tensor.DType));
                writer.WriteStartArray("shape");
                foreach (int d in tensor.Shape.Dims)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += tensor.ByteLength;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        int padded = (json.WrittenCount + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
        var header = new byte[padded];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return new SafetensorsLayout(header, sorted, offset);
    }

    /// <summary>Writes the whole file to <paramref name="destination"/>, which must be <see cref="TotalLength"/> bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, (ulong)_header.Length);
        destination = destination[SafetensorsReader.PrefixBytes..];
        _header.CopyTo(destination);
        destination = destination[_header.Length..];
        foreach ((_, Tensor tensor) in _tensors)
        {
            tensor.Bytes.CopyTo(destination);
            destination = destination[tensor.ByteLength..];
        }
    }

    /// <summary>Writes the whole file to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[SafetensorsReader.PrefixBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)_header.Length);
        stream.Write(prefix);
        stream.Write(_header);
        foreach ((_, Tensor tensor) in _tensors)
        {
            stream.Write(tensor.Bytes);
        }
    }

    private static void WriteMetadata(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> metadata)
    {
        KeyValuePair<string, string>[] items = metadata.ToArray();
        Array.Sort(items, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        writer.WriteStartObject(SafetensorsHeader.MetadataKey);
        foreach ((string key, string value) in items)
        {
            if (value is null)
            {
                throw new ArgumentException($"Metadata value for '{key}' is null; metadata values must be strings.", nameof(metadata));
            }

            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }
}
