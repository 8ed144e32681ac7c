using Google.Protobuf;
using Proto = global::Onnx;

namespace Graph.Onnx.Reading;

/// <summary>
/// The one seam between files and protobuf messages. Reading trusts nothing: the file system's length bounds the one
/// buffer allocated, a file that reports no length or more bytes than it reports (a device, a pipe, a file still
/// growing) is refused, and every protobuf decoding failure becomes an <see cref="OnnxFormatException"/>. Parsing from
/// one buffer bounds every length-delimited field by the bytes present, and protobuf's recursion limit bounds nesting.
/// </summary>
internal static class ModelFile
{
    /// <summary>Protobuf messages cannot exceed 2 GiB; ONNX keeps larger weights in external files, which Graph does not read.</summary>
    public const long MaxFileBytes = int.MaxValue;

    private const int ChunkBytes = 1 << 20;

    /// <summary>The model in the file at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxFormatException">The file is empty, not a regular file, too large, or not a valid model message.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Proto.ModelProto Read(string path)
    {
        byte[] bytes = ReadBounded(path);
        try
        {
            return Proto.ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"'{path}' is not a valid ONNX model: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>, through a temporary file so that a failed write leaves no half file.</summary>
    public static void Write(Proto.ModelProto model, string path)
    {
        string temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                model.WriteTo(stream);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static byte[] ReadBounded(string path)
    {
        // Before opening: opening a named pipe waits for a writer, possibly forever; pipes and devices report no length.
        var info = new FileInfo(path);
        if (info.Exists && info.Length == 0)
        {
            throw new OnnxFormatException($"'{path}' is empty or not a regular file.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.CanSeek ? stream.Length : 0;
        if (length == 0)
        {
            throw new OnnxFormatException($"'{path}' is empty or not a regular file.");
        }

        if (length > MaxFileBytes)
        {
            throw new OnnxFormatException($"'{path}' has {length} bytes, more than the {MaxFileBytes} a protobuf message may have; models with external data are not supported.");
        }

        var bytes = new byte[length];
        int filled = 0;
        while (filled < bytes.Length)
        {
            int read = stream.Read(bytes, filled, Math.Min(ChunkBytes, bytes.Length - filled));
            if (read == 0)
            {
                throw new OnnxFormatException($"'{path}' ended after {filled} of its {length} bytes: it shrank while it was read.");
            }

            filled += read;
        }

        if (stream.ReadByte() >= 0)
        {
            throw new OnnxFormatException($"'{path}' has more than the {length} bytes it reported: it is not a regular file, or it grew while it was read.");
        }

        return bytes;
    }
}
