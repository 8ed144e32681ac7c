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

    /// <summary>Throws on a big-endian machine: tensor bytes are written as the machine stores them, and the format is little-endian.</summary>
    public static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(".graph files need a little-endian machine.");
        }
    }
}
