using System.Text.Json;

namespace Graph.Serialization;

/// <summary>
/// A pass over a safetensors header with <see cref="Utf8JsonReader"/>, which allocates nothing, before the header is
/// parsed into a <see cref="JsonDocument"/>, which costs about twelve bytes per JSON token. No valid header has an
/// array longer than a shape of the highest rank (data_offsets has two numbers, metadata holds only strings), so a
/// longer array (a rank-49,000,000 shape in a 93 MB header) is refused here, before the parse could spend gigabytes.
/// </summary>
internal static class SafetensorsHeaderScan
{
    private const int MaxDepth = 8;

    /// <summary>Throws if an array in <paramref name="json"/> has more than <paramref name="maxElements"/> elements.</summary>
    /// <exception cref="SafetensorsFormatException">An array is too long, or the JSON is malformed.</exception>
    public static void RequireShortArrays(ReadOnlySpan<byte> json, int maxElements, string? filePath)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth });

        // For each open container, by the depth of its start token: whether it is an array, and its elements so far.
        Span<bool> isArray = stackalloc bool[MaxDepth + 1];
        Span<int> elements = stackalloc int[MaxDepth + 1];
        try
        {
            while (reader.Read())
            {
                int depth = reader.CurrentDepth;
                bool isElement = reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject or JsonTokenType.PropertyName);
                if (isElement && depth > 0 && isArray[depth - 1] && ++elements[depth - 1] > maxElements)
                {
                    throw new SafetensorsFormatException(filePath, null, $"the header holds an array of more than {maxElements} elements; shapes have at most {maxElements} dimensions and no other field is a long array.");
                }

                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                {
                    isArray[depth] = reader.TokenType == JsonTokenType.StartArray;
                    elements[depth] = 0;
                }
            }
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(filePath, null, $"the header is not well-formed JSON ({e.Message}).", e);
        }
    }
}
