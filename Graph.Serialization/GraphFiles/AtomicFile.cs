namespace Graph.Serialization;

/// <summary>
/// Replaces a file atomically: the bytes go to a temporary file in the same folder, are flushed to disk, and the
/// temporary file is renamed over the destination, so a failure at any point leaves the old file or the new one,
/// never half of one, and no temporary file behind. A process killed mid-write cannot remove its temporary file, so
/// every save first removes the stale temporary files of earlier saves of the same path (see <see cref="TemporaryFiles"/>).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The file to write or replace.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file may not be written.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        TemporaryFiles.RemoveStale(directory, Path.GetFileName(fullPath));

        // Same folder, so the rename stays on one file system and is atomic; a random part, so writers do not collide.
        string temporary = TemporaryFiles.NewPath(directory, Path.GetFileName(fullPath));
        try
        {
            // FileShare.None locks the file while this process has it open: that is how a later save tells a live
            // writer's temporary file from a dead one's.
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);

                // Without flushing to disk, a crash after the rename could leave the new name pointing at missing data.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> as UTF-8 (no byte-order mark), atomically.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file may not be written.</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            writer.Write(text);
        });
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write already failed; its exception says more than this one would.
        }
    }
}
