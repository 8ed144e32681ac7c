namespace Graph.Serialization;

/// <summary>
/// Reads a whole <c>.graph</c> file without trusting it: the length comes from the file system and bounds the one
/// buffer allocated, the bytes arrive in chunks, and a file that reports no length or yields more bytes than it
/// reports (a device such as /dev/zero, a pipe, a file still growing) is refused instead of read until memory runs out.
/// </summary>
internal static class BoundedFileReader
{
    // Chunks keep each read call small; the buffer itself is allocated once, at the file's length.
    private const int ChunkBytes = 1 << 20;

    /// <summary>The bytes of the regular file at <paramref name="path"/>.</summary>
    /// <exception cref="GraphFormatException">The file is empty, not a regular file, larger than <see cref="GraphFormat.MaxFileBytes"/>, or changes while it is read.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static byte[] Read(string path)
    {
        // Before opening: opening a named pipe for reading waits for a writer, possibly forever. Pipes and devices
        // report no length, so the file system's answer refuses them without opening them.
        var info = new FileInfo(path);
        if (info.Exists && info.Length == 0)
        {
            throw new GraphFormatException(0, $"'{path}' is empty or not a regular file");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.CanSeek ? stream.Length : 0;
        if (length == 0)
        {
            // Devices, pipes and /proc files report no length; a real .graph file is never empty.
            throw new GraphFormatException(0, $"'{path}' is empty or not a regular file");
        }

        if (length > GraphFormat.MaxFileBytes)
        {
            throw new GraphFormatException(0, $"'{path}' has {length} bytes, more than the {GraphFormat.MaxFileBytes} a .graph file may have");
        }

        var bytes = new byte[length];
        int filled = 0;
        while (filled < bytes.Length)
        {
            int read = stream.Read(bytes, filled, Math.Min(ChunkBytes, bytes.Length - filled));
            if (read == 0)
            {
                throw new GraphFormatException(filled, $"'{path}' ended after {filled} of its {length} bytes: it shrank while it was read");
            }

            filled += read;
        }

        if (stream.ReadByte() >= 0)
        {
            throw new GraphFormatException(length, $"'{path}' has more than the {length} bytes it reported: it is not a regular file, or it grew while it was read");
        }

        return bytes;
    }
}
