using System.Text.Json;
using System.Text.Unicode;
using Graph.Core;

namespace Graph.Serialization;

/// <summary>
/// A parsed and fully checked safetensors header: every entry's dtype, shape and byte range agree, and the
/// ranges tile the data section exactly, as the format requires (no overlaps, no holes, nothing left over).
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The key that holds string metadata instead of a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// The largest header accepted. Real headers are kilobytes to a few megabytes; the reference implementation
    /// refuses more than 100 MB too, so a hostile length cannot make us allocate gigabytes for JSON.
    /// </summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// The highest rank a tensor may have, as in <c>.graph</c> files. Without it an empty tensor of a huge rank (a
    /// shape of millions of zeros) costs gigabytes to parse for no data at all; see <see cref="SafetensorsHeaderScan"/>.
    /// </summary>
    public const int MaxRank = 8;

    /// <summary>The largest tensor Graph can hold: what one <see cref="AlignedBuffer"/> allows.</summary>
    private const long MaxTensorBytes = int.MaxValue - AlignedBuffer.Alignment;

    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    private SafetensorsHeader(List<SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The tensors, in the order of their data.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> strings; empty when the header has none.</summary>
    public Dictionary<string, string> Metadata { get; }

    /// <summary>Parses <paramref name="json"/> and checks it against a data section of <paramref name="dataLength"/> bytes.</summary>
    /// <exception cref="SafetensorsFormatException">Anything is wrong.</exception>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string? filePath)
    {
        // JsonDocument would also reject bad UTF-8, but checking first gives one clear message for it.
        if (!Utf8.IsValid(json))
        {
            throw new SafetensorsFormatException(filePath, null, "the JSON header is not valid UTF-8.");
        }

        SafetensorsHeaderScan.RequireShortArrays(json, MaxRank, filePath);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), s_jsonOptions);
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(filePath, null, $"the header is not well-formed JSON ({e.Message}).", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException(filePath, null, $"the header must be a JSON object, not {Describe(root.ValueKind)}.");
            }

            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                // JSON allows repeated keys and parsers disagree on which one wins; a tensor file must not be ambiguous.
                if (!seen.Add(property.Name))
                {
                    throw new SafetensorsFormatException(filePath, property.Name, "the name appears more than once in the header.");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, filePath);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, dataLength, filePath));
                }
            }

            CheckTiling(entries, dataLength, filePath);
            return new SafetensorsHeader(entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string? filePath)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(filePath, null, $"\"{MetadataKey}\" must be an object of strings, not {Describe(value.ValueKind)}.");
        }

        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException(filePath, null, $"\"{MetadataKey}\" entry \"{item.Name}\" must be a string, not {Describe(item.Value.ValueKind)}.");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new SafetensorsFormatException(filePath, null, $"\"{MetadataKey}\" has the key \"{item.Name}\" more than once.");
            }
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, long dataLength, string? filePath)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(filePath, name, $"the entry must be an object with dtype, shape and data_offsets, not {Describe(value.ValueKind)}.");
        }

        JsonElement? dtypeElement = null;
        JsonElement? shapeElement = null;
        JsonElement? offsetsElement = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeElement is null:
                    dtypeElement = field.Value;
                    break;
                case "shape" when shapeElement is null:
                    shapeElement = field.Value;
                    break;
                case "data_offsets" when offsetsElement is null:
                    offsetsElement = field.Value;
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw new SafetensorsFormatException(filePath, name, $"the entry has \"{field.Name}\" more than once.");
                default:
                    throw new SafetensorsFormatException(filePath, name, $"the entry has an unknown field \"{field.Name}\"; expected dtype, shape and data_offsets.");
            }
        }

        DType dtype = ReadDType(name, dtypeElement, filePath);
        int[] dims = ReadShape(name, shapeElement, filePath);
        (long begin, long end) = ReadOffsets(name, offsetsElement, dataLength, filePath);

        // Multiply step by step and stop past the limit: a product of header numbers taken whole can overflow and
        // wrap around to a small value that would then match the offsets. Before the Shape exists: Shape refuses
        // element counts beyond a long.
        long expectedBytes = dims.Contains(0) ? 0 : dtype.SizeInBytes();
        foreach (int d in dims)
        {
            expectedBytes *= d;
            if (expectedBytes > MaxTensorBytes)
            {
                throw new SafetensorsFormatException(filePath, name, $"shape [{string.Join(", ", dims)}] of {SafetensorsDTypes.Code(dtype)} needs more than the {MaxTensorBytes} bytes a Graph tensor can hold.");
            }
        }

        var shape = new Shape(dims);

        if (expectedBytes != end - begin)
        {
            throw new SafetensorsFormatException(filePath, name, $"shape {shape} of {SafetensorsDTypes.Code(dtype)} needs {expectedBytes} bytes, but data_offsets [{begin}, {end}] span {end - begin}.");
        }

        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static DType ReadDType(string name, JsonElement? element, string? filePath)
    {
        if (element is not { ValueKind: JsonValueKind.String } text)
        {
            throw new SafetensorsFormatException(filePath, name, element is null ? "the entry has no \"dtype\"." : $"\"dtype\" must be a string, not {Describe(element.Value.ValueKind)}.");
        }

        string code = text.GetString()!;
        if (!SafetensorsDTypes.TryParse(code, out DType dtype))
        {
            throw new SafetensorsFormatException(filePath, name, $"dtype \"{code}\" is not supported; Graph reads {SafetensorsDTypes.Supported}.");
        }

        return dtype;
    }

    private static int[] ReadShape(string name, JsonElement? element, string? filePath)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array)
        {
            throw new SafetensorsFormatException(filePath, name, element is null ? "the entry has no \"shape\"." : $"\"shape\" must be an array of sizes, not {Describe(element.Value.ValueKind)}.");
        }

        var dims = new int[array.GetArrayLength()]; // at most MaxRank: SafetensorsHeaderScan refused longer arrays
        int i = 0;
        foreach (JsonElement dim in array.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long size) || size < 0)
            {
                throw new SafetensorsFormatException(filePath, name, $"shape dimension {i} is {dim.GetRawText()}; dimensions must be integers of 0 or more.");
            }

            if (size > int.MaxValue)
            {
                throw new SafetensorsFormatException(filePath, name, $"shape dimension {i} is {size}; Graph tensors allow at most {int.MaxValue} per dimension.");
            }

            dims[i++] = (int)size;
        }

        return dims;
    }

    private static (long Begin, long End) ReadOffsets(string name, JsonElement? element, long dataLength, string? filePath)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() != 2)
        {
            throw new SafetensorsFormatException(filePath, name, element is null ? "the entry has no \"data_offsets\"." : $"\"data_offsets\" must be [begin, end], not {element.Value.GetRawText()}.");
        }

        if (!TryGetNonNegative(array[0], out ulong begin) || !TryGetNonNegative(array[1], out ulong end))
        {
            throw new SafetensorsFormatException(filePath, name, $"data_offsets {array.GetRawText()} must be two integers of 0 or more.");
        }

        if (begin > end)
        {
            throw new SafetensorsFormatException(filePath, name, $"data_offsets [{begin}, {end}] end before they begin.");
        }

        if (end > (ulong)dataLength)
        {
            throw new SafetensorsFormatException(filePath, name, $"data_offsets [{begin}, {end}] run past the end of the {dataLength}-byte data section (is the file truncated?).");
        }

        return ((long)begin, (long)end);
    }

    private static bool TryGetNonNegative(JsonElement element, out ulong value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetUInt64(out value);
    }

    private static void CheckTiling(List<SafetensorsEntry> entries, long dataLength, string? filePath)
    {
        // Sorting by (begin, end) puts an empty tensor before a non-empty one at the same offset, where it overlaps nothing.
        entries.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        SafetensorsEntry? previous = null;
        foreach (SafetensorsEntry entry in entries)
        {
            if (entry.Begin < expected)
            {
                throw new SafetensorsFormatException(filePath, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] overlap those of '{previous!.Value.Name}' [{previous.Value.Begin}, {previous.Value.End}].");
            }

            if (entry.Begin > expected)
            {
                throw new SafetensorsFormatException(filePath, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] leave bytes [{expected}, {entry.Begin}) of the data section unused; the format allows no holes.");
            }

            expected = entry.End;
            previous = entry;
        }

        if (expected != dataLength)
        {
            throw new SafetensorsFormatException(filePath, null, $"the tensors cover {expected} bytes but the data section has {dataLength}; the format allows no trailing bytes.");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
