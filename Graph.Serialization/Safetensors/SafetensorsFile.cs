using Graph.Core;
using Microsoft.Win32.SafeHandles;

namespace Graph.Serialization;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// mapping each tensor name to its dtype, shape and byte range, then the raw little-endian row-major data.
/// Graph reads and writes the dtypes F32, F64, I64 and BOOL.
/// </summary>
/// <remarks>
/// Reading treats the input as untrusted: every length, offset and shape is checked before it is used, and any
/// defect is reported as a <see cref="SafetensorsFormatException"/>. Writing sorts tensors by name, so equal inputs
/// give byte-identical files, and replaces the destination atomically.
/// </remarks>
public static class SafetensorsFile
{
    /// <summary>Reads every tensor in the file at <paramref name="path"/>.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file Graph can read.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (not found, no permission, ...).</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path) => ReadWithMetadata(path).Tensors;

    /// <summary>Reads every tensor in a safetensors file held in memory.</summary>
    /// <exception cref="SafetensorsFormatException">The bytes are not a valid safetensors file Graph can read.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(ReadOnlySpan<byte> bytes) => ReadWithMetadata(bytes).Tensors;

    /// <summary>Reads every tensor in the file at <paramref name="path"/>, and its <c>__metadata__</c> strings (empty if none).</summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file Graph can read.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (not found, no permission, ...).</exception>
    public static (IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadWithMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndian();
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return SafetensorsReader.Read(new FileHandleSource(handle, RandomAccess.GetLength(handle)), path);
    }

    /// <summary>Reads every tensor in a safetensors file held in memory, and its <c>__metadata__</c> strings (empty if none).</summary>
    /// <exception cref="SafetensorsFormatException">The bytes are not a valid safetensors file Graph can read.</exception>
    public static (IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadWithMetadata(ReadOnlySpan<byte> bytes)
    {
        EnsureLittleEndian();
        return SafetensorsReader.Read(new SpanSource(bytes), null);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/>, replacing any file there atomically: the data goes
    /// to a temporary file in the same folder, is flushed to disk, and is then renamed over the destination, so a
    /// crash leaves either the old file or the new one, never half of one.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="tensors">The tensors by name; names must be distinct and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Strings to store under <c>__metadata__</c>, or null for none.</param>
    /// <exception cref="ArgumentException">A name is null, repeated or reserved, or a tensor or metadata value is null.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndian();
        SafetensorsLayout layout = SafetensorsLayout.Create(tensors, metadata);

        AtomicFile.Write(path, layout.WriteTo);
    }

    /// <summary>The bytes of a safetensors file holding <paramref name="tensors"/>, exactly as <see cref="Write"/> would write them.</summary>
    /// <param name="tensors">The tensors by name; names must be distinct and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Strings to store under <c>__metadata__</c>, or null for none.</param>
    /// <exception cref="ArgumentException">A name is null, repeated or reserved, or a tensor or metadata value is null.</exception>
    /// <exception cref="InvalidOperationException">The file would be larger than one array can hold.</exception>
    public static byte[] ToBytes(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        EnsureLittleEndian();
        SafetensorsLayout layout = SafetensorsLayout.Create(tensors, metadata);
        if (layout.TotalLength > Array.MaxLength)
        {
            throw new InvalidOperationException($"The file would be {layout.TotalLength} bytes, more than one array holds; use Write to a file instead.");
        }

        var bytes = new byte[layout.TotalLength];
        layout.CopyTo(bytes);
        return bytes;
    }


    private static void EnsureLittleEndian()
    {
        // Tensor bytes are in machine order and the format is little-endian; every platform .NET 10 runs on is too.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Safetensors I/O needs a little-endian machine.");
        }
    }
}
