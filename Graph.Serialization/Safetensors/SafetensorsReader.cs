using System.Buffers.Binary;
using Graph.Core;

namespace Graph.Serialization;

/// <summary>Reads tensors out of a safetensors source after checking its header against its length.</summary>
internal static class SafetensorsReader
{
    /// <summary>The size of the little-endian header length that starts every file.</summary>
    public const int PrefixBytes = 8;

    /// <exception cref="SafetensorsFormatException">Anything is wrong.</exception>
    public static (IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read<TSource>(TSource source, string? filePath)
        where TSource : ISafetensorsSource, allows ref struct
    {
        long length = source.Length;
        Span<byte> prefix = stackalloc byte[PrefixBytes];
        if (length < PrefixBytes || !source.TryReadAt(0, prefix))
        {
            throw new SafetensorsFormatException(filePath, null, $"it is {length} bytes long, shorter than the {PrefixBytes}-byte header length that starts every safetensors file.");
        }

        // Check the declared length against what is really there before allocating anything from it.
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > SafetensorsHeader.MaxHeaderBytes)
        {
            throw new SafetensorsFormatException(filePath, null, $"the header length is {headerLength} bytes, more than the {SafetensorsHeader.MaxHeaderBytes} allowed (is this a safetensors file?).");
        }

        if (headerLength > (ulong)(length - PrefixBytes))
        {
            throw new SafetensorsFormatException(filePath, null, $"the header length is {headerLength} bytes but only {length - PrefixBytes} bytes follow it (is the file truncated?).");
        }

        var header = new byte[headerLength];
        ReadOrThrow(ref source, PrefixBytes, header, filePath, null);
        long dataStart = PrefixBytes + (long)headerLength;
        SafetensorsHeader parsed = SafetensorsHeader.Parse(header, length - dataStart, filePath);

        var tensors = new Dictionary<string, Tensor>(parsed.Entries.Count, StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in parsed.Entries)
        {
            Tensor tensor = Tensor.Zeros(entry.Shape, entry.DType);
            ReadOrThrow(ref source, dataStart + entry.Begin, tensor.Bytes, filePath, entry.Name);

            // A .NET bool holding 2 compares unequal to true; refuse such bytes rather than hand them out.
            if (entry.DType == DType.Bool && tensor.Bytes.IndexOfAnyExcept((byte)0, (byte)1) is int bad and >= 0)
            {
                throw new SafetensorsFormatException(filePath, entry.Name, $"BOOL element {bad} is byte {tensor.Bytes[bad]}; BOOL bytes must be 0 or 1.");
            }

            tensors.Add(entry.Name, tensor);
        }

        return (tensors, parsed.Metadata);
    }

    private static void ReadOrThrow<TSource>(ref TSource source, long offset, Span<byte> destination, string? filePath, string? tensorName)
        where TSource : ISafetensorsSource, allows ref struct
    {
        if (!source.TryReadAt(offset, destination))
        {
            throw new SafetensorsFormatException(filePath, tensorName, $"the file ended before byte {offset + destination.Length}; it was shortened while being read.");
        }
    }
}
