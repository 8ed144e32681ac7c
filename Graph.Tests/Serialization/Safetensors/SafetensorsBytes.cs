using System.Buffers.Binary;
using System.Text;

namespace Graph.Tests.Serialization.Safetensors;

/// <summary>Hand-built safetensors files, so malformed ones can be made that no writer would produce.</summary>
internal static class SafetensorsBytes
{
    /// <summary>An 8-byte little-endian header length, the JSON header as given (no padding), then the data.</summary>
    public static byte[] Build(string json, params byte[] data) => Build(Encoding.UTF8.GetBytes(json), data);

    /// <summary>Like <see cref="Build(string, byte[])"/> with the header as raw bytes (for bad UTF-8).</summary>
    public static byte[] Build(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }
}
