using System.Buffers;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Serialization;

/// <summary>The bytes of a <c>.graph</c> file: the envelope around the body.</summary>
internal static class GraphFileWriter
{
    /// <summary>The file of <paramref name="graph"/>; with <paramref name="session"/>, of the session's state too.</summary>
    public static byte[] ToBytes(CompiledGraph graph, Session? session)
    {
        EnsureLittleEndian();
        byte[] content = GraphBodyWriter.Write(graph, session);
        var output = new ArrayBufferWriter<byte>(content.Length + 64);
        GraphEnvelope.Write(output, content);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Streams the file of <paramref name="graph"/> (and <paramref name="session"/>'s state) to <paramref name="stream"/>
    /// with the same bytes as <see cref="ToBytes"/>, holding only a small buffer: a first pass counts the content's
    /// length (the envelope states it before the content), a second writes it and its checksum.
    /// </summary>
    /// <exception cref="InvalidOperationException">The content is larger than a file may be.</exception>
    public static void WriteTo(Stream stream, CompiledGraph graph, Session? session)
    {
        EnsureLittleEndian();
        var counter = new StreamBufferWriter(stream: null);
        GraphBodyWriter.Write(counter, graph, session);
        counter.Flush();
        if (counter.Written > GraphFormat.MaxFileBytes - 64)
        {
            throw new InvalidOperationException($"The file would hold {counter.Written} bytes of content, more than the {GraphFormat.MaxFileBytes} a .graph file may have.");
        }

        var output = new StreamBufferWriter(stream);
        GraphEnvelope.WriteHeader(output, (int)counter.Written);
        output.Checksumming = true;
        GraphBodyWriter.Write(output, graph, session);
        output.Checksumming = false;
        GraphEnvelope.WriteTrailer(output, output.Crc);
        output.Flush();
    }

    /// <summary>Throws on a big-endian machine: tensor bytes are written as the machine stores them, and the format is little-endian.</summary>
    public static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(".graph files need a little-endian machine.");
        }
    }
}
