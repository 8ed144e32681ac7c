using Graph.Core;

namespace Graph.Serialization;

/// <summary>Reads a whole <c>.graph</c> file held in memory: the envelope, then the body.</summary>
internal static class GraphFileReader
{
    /// <summary>Reads and checks <paramref name="file"/>.</summary>
    /// <exception cref="GraphFormatException">The file is damaged, truncated, hostile, or of a newer major version.</exception>
    public static GraphFileContents Read(ReadOnlyMemory<byte> file)
    {
        (Version version, int contentStart, int contentLength) = GraphEnvelope.Read(file);
        try
        {
            return GraphBodyReader.Read(file.Slice(contentStart, contentLength), contentStart, version);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException or OverflowException)
        {
            // The checks above should leave nothing for Core to reject; if they miss a case, it is still the file's defect.
            throw new GraphFormatException(contentStart, $"the content does not describe a valid graph: {e.Message}", e);
        }
    }
}
