using System.Buffers.Binary;
using System.IO.Compression;

namespace Graph.Tests.Data;

/// <summary>Builds IDX files byte by byte, so tests can make malformed ones too.</summary>
internal static class IdxFiles
{
    /// <summary>00 00, the type code, the dimension count, each dimension big-endian, then <paramref name="data"/> as given.</summary>
    public static byte[] Build(byte typeCode, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + (4 * dims.Length) + data.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        }

        data.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    /// <summary>A ubyte IDX file of the given dimensions and values.</summary>
    public static byte[] UnsignedBytes(int[] dims, params byte[] values) => Build(0x08, dims, values);

    /// <summary>The bytes gzipped, as one gzip member.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
