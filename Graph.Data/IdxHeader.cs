using System.Buffers.Binary;
using System.IO.Compression;

namespace Graph.Data;

/// <summary>
/// The type and dimensions an IDX file declares, read from its first bytes alone (through gzip when it is gzipped),
/// so that a caller can refuse a file too large for what it will build before <see cref="IdxReader"/> reads its data.
/// </summary>
internal static class IdxHeader
{
    /// <summary>
    /// The declared type and dimensions, or null when the header is not well formed (then <see cref="IdxReader.Read"/>
    /// reports the defect).
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static (IdxElementType Type, int[] Dims)? TryRead(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        Span<byte> start = stackalloc byte[2];
        bool gzipped = file.ReadAtLeast(start, 2, throwOnEndOfStream: false) == 2 && start[0] == 0x1F && start[1] == 0x8B;
        file.Position = 0;
        try
        {
            using Stream stream = gzipped ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            Span<byte> header = stackalloc byte[4 + (4 * IdxReader.MaxDimensions)];
            if (stream.ReadAtLeast(header[..4], 4, throwOnEndOfStream: false) < 4 || header[0] != 0 || header[1] != 0)
            {
                return null;
            }

            var type = (IdxElementType)header[2];
            int rank = header[3];
            if (!type.IsDefined() || rank is < 1 or > IdxReader.MaxDimensions
                || stream.ReadAtLeast(header.Slice(4, 4 * rank), 4 * rank, throwOnEndOfStream: false) < 4 * rank)
            {
                return null;
            }

            var dims = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(header[(4 + (4 * i))..]);
            }

            return (type, dims);
        }
        catch (InvalidDataException)
        {
            return null; // corrupt gzip: the reader says so
        }
    }
}
