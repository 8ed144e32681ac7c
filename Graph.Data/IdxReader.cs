using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Graph.Core;

namespace Graph.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a type code, a dimension count, each
/// dimension as a big-endian int32, then the elements big-endian in row-major order. Files that start with the
/// gzip magic (1F 8B) are decompressed on the fly, so <c>train-images-idx3-ubyte.gz</c> reads as it is.
/// </summary>
/// <remarks>
/// Files are untrusted: nothing is allocated from a declared size before it is checked (against the file length
/// for plain files, against 1032 times the compressed length for gzipped ones, and against <see cref="MaxDataBytes"/>
/// always); the data is read into one buffer of that size, never grown; and a file that is shorter or longer than
/// its dimensions say is an error.
/// </remarks>
public static class IdxReader
{
    /// <summary>The most data bytes one file may declare (1 GiB); MNIST's largest file has 47 MB.</summary>
    public const long MaxDataBytes = 1L << 30;

    /// <summary>The most dimensions one file may declare.</summary>
    public const int MaxDimensions = 4;

    // Deflate encodes at most 258 bytes in 2 bits (the zlib authors' 1032:1), so a gzip file cannot hold more than
    // this many times its own length: a larger declared size is a lie, refused before its buffer is allocated.
    private const long MaxGzipRatio = 1032;

    // Gzip's own header and trailer, and deflate's block headers, as slack on top of the ratio.
    private const long GzipOverheadBytes = 1024;

    // Data arrives in chunks of at most this much per read call, into the one buffer of the declared size.
    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads the IDX file at <paramref name="path"/>, gzipped or not.</summary>
    /// <exception cref="IdxFormatException">The file is not a well-formed IDX file.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (not found, no permission, ...).</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> start = stackalloc byte[2];
        bool gzipped = file.ReadAtLeast(start, 2, throwOnEndOfStream: false) == 2 && start[0] == 0x1F && start[1] == 0x8B;
        file.Position = 0;
        if (!gzipped)
        {
            return ReadCore(file, file.Length, compressedLength: null, path);
        }

        IdxArray array;
        ChecksummingStream checksummed;
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            checksummed = new ChecksummingStream(gzip);
            array = ReadCore(checksummed, knownLength: null, compressedLength: file.Length, path);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"its gzip compression is corrupt ({e.Message}).", e);
        }

        CheckGzipTrailer(file, checksummed, path);
        return array;
    }

    /// <summary>
    /// GZipStream stops quietly at the end of its input, so a file cut inside the 8-byte gzip trailer, or one with
    /// bytes appended after it, still decompresses. The trailer (CRC-32 and length of the uncompressed data) must
    /// therefore be the file's last 8 bytes and match what was read. This also means one gzip member per file, which
    /// is how MNIST-style files are distributed.
    /// </summary>
    private static void CheckGzipTrailer(FileStream file, ChecksummingStream checksummed, string path)
    {
        Span<byte> trailer = stackalloc byte[8];
        if (file.Length < trailer.Length)
        {
            throw new IdxFormatException(path, "the gzip file is too short to hold its 8-byte trailer.");
        }

        file.Position = file.Length - trailer.Length;
        file.ReadExactly(trailer);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != checksummed.Crc || size != (uint)checksummed.BytesRead)
        {
            throw new IdxFormatException(path, $"the gzip file does not end with the CRC-32 and length of its {checksummed.BytesRead} decompressed bytes (truncated, trailing garbage, or several gzip members).");
        }
    }

    private static IdxArray ReadCore(Stream stream, long? knownLength, long? compressedLength, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < magic.Length)
        {
            throw new IdxFormatException(path, "it ends inside the 4-byte magic number (is it empty or truncated?).");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new IdxFormatException(path, $"its magic number starts {magic[0]:X2} {magic[1]:X2}; IDX files start 00 00 (is this an IDX file?).");
        }

        var type = (IdxElementType)magic[2];
        if (!type.IsDefined())
        {
            throw new IdxFormatException(path, $"type code 0x{magic[2]:X2} is unknown; IDX defines 0x08 (ubyte), 0x09 (sbyte), 0x0B (short), 0x0C (int), 0x0D (float) and 0x0E (double).");
        }

        int rank = magic[3];
        if (rank is < 1 or > MaxDimensions)
        {
            throw new IdxFormatException(path, $"it declares {rank} dimensions; 1 to {MaxDimensions} are supported.");
        }

        Span<byte> dimBytes = stackalloc byte[4 * MaxDimensions];
        dimBytes = dimBytes[..(4 * rank)];
        if (stream.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false) < dimBytes.Length)
        {
            throw new IdxFormatException(path, $"it ends inside its {rank} dimension sizes (is it truncated?).");
        }

        var dims = new int[rank];
        long dataBytes = type.SizeInBytes();
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes[(4 * i)..]);
            if (dims[i] <= 0)
            {
                throw new IdxFormatException(path, $"dimension {i} is {dims[i]}; dimensions must be positive.");
            }

            // Checked at each step: at most 2^30 × 2^31 before the check, so the product never overflows.
            dataBytes *= dims[i];
            if (dataBytes > MaxDataBytes)
            {
                throw new IdxFormatException(path, $"its dimensions {FormatDims(dims, i + 1)} need more than {MaxDataBytes} bytes, the most this reader accepts.");
            }
        }

        var shape = new Shape(dims);
        long headerBytes = magic.Length + dimBytes.Length;
        if (knownLength is long length && length != headerBytes + dataBytes)
        {
            string problem = length < headerBytes + dataBytes ? "is it truncated?" : $"{length - headerBytes - dataBytes} trailing bytes";
            throw new IdxFormatException(path, $"{type} dimensions {shape} need {dataBytes} data bytes, but the file has {length - headerBytes} after its {headerBytes}-byte header ({problem}).");
        }

        if (compressedLength is long compressed && headerBytes + dataBytes > (MaxGzipRatio * compressed) + GzipOverheadBytes)
        {
            throw new IdxFormatException(path, $"{type} dimensions {shape} need {dataBytes} data bytes, more than a {compressed}-byte gzip file can hold (deflate compresses at most {MaxGzipRatio}:1).");
        }

        // One buffer of the declared size, never grown: the size is bounded above by MaxDataBytes and, for a gzip
        // file, by what its compressed length can hold, and decompression stops at it.
        byte[] data = ReadData(stream, dataBytes, path, shape);
        if (stream.ReadByte() >= 0)
        {
            throw new IdxFormatException(path, $"it has bytes after the {dataBytes} data bytes that dimensions {shape} call for (trailing garbage).");
        }

        ToMachineOrder(type, data);
        return new IdxArray(type, shape, data);
    }

    private static byte[] ReadData(Stream stream, long dataBytes, string path, Shape shape)
    {
        var buffer = new byte[dataBytes];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                return buffer;
            }

            int read = stream.Read(buffer, filled, Math.Min(ChunkBytes, buffer.Length - filled));
            if (read == 0)
            {
                throw new IdxFormatException(path, $"it ends after {filled} of the {dataBytes} data bytes that dimensions {shape} call for (is it truncated?).");
            }

            filled += read;
        }
    }

    private static void ToMachineOrder(IdxElementType type, byte[] data)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return;
        }

        // Floats are swapped as integers of their width: only the byte order changes, never the bits.
        switch (type.SizeInBytes())
        {
            case 2:
                Span<short> shorts = MemoryMarshal.Cast<byte, short>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                Span<int> ints = MemoryMarshal.Cast<byte, int>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                Span<long> longs = MemoryMarshal.Cast<byte, long>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }

    private static string FormatDims(int[] dims, int count) => new Shape(dims.AsSpan(0, count)).ToString();
}
