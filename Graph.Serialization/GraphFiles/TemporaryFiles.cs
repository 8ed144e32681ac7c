namespace Graph.Serialization;

/// <summary>
/// The temporary files of atomic saves: <c>.&lt;name&gt;.&lt;32 hex digits&gt;.graph-tmp</c> beside the file
/// <c>&lt;name&gt;</c>. The name ties each one to its destination, so a save of a path can find the files that
/// earlier saves of the same path left behind when their process was killed, and remove them.
/// </summary>
internal static class TemporaryFiles
{
    /// <summary>The suffix of this format's temporary files.</summary>
    public const string Suffix = ".graph-tmp";

    // Files of earlier versions, named the same way with ".tmp", are removed too: kills left them behind as well.
    private const string LegacySuffix = ".tmp";

    /// <summary>
    /// A file younger than this may have just been created by a live writer that has not locked it yet (creating
    /// and locking are two system calls), so it is left alone; a dead writer's file is older than this by the next save.
    /// </summary>
    private static readonly TimeSpan s_minimumAge = TimeSpan.FromMinutes(1);

    /// <summary>A new temporary file name for a save of <paramref name="fileName"/> in <paramref name="directory"/>.</summary>
    public static string NewPath(string directory, string fileName) =>
        Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}{Suffix}");

    /// <summary>
    /// Removes the temporary files of earlier saves of <paramref name="fileName"/> that no live writer holds: a writer
    /// keeps its file open with <see cref="FileShare.None"/>, which the operating system releases when the process
    /// dies, so a file that opens exclusively, and was last written over a minute ago, is a dead writer's. Failures
    /// are ignored: cleaning up must never fail a save.
    /// </summary>
    public static void RemoveStale(string directory, string fileName)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, $".{fileName}.*").Where(path => IsTemporaryOf(Path.GetFileName(path), fileName)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        DateTime cutoff = DateTime.UtcNow - s_minimumAge;
        foreach (string path in candidates)
        {
            try
            {
                if (File.GetLastWriteTimeUtc(path) > cutoff)
                {
                    continue;
                }

                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    // Opened exclusively: no live writer has it. Deleting while holding it keeps a new writer out meanwhile.
                    File.Delete(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Locked by a live writer, or gone already.
            }
        }
    }

    /// <summary>Whether <paramref name="candidate"/> is named as a temporary file of a save of <paramref name="fileName"/>.</summary>
    internal static bool IsTemporaryOf(string candidate, string fileName)
    {
        string prefix = $".{fileName}.";
        foreach (string suffix in (ReadOnlySpan<string>)[Suffix, LegacySuffix])
        {
            if (candidate.Length == prefix.Length + 32 + suffix.Length
                && candidate.StartsWith(prefix, StringComparison.Ordinal)
                && candidate.EndsWith(suffix, StringComparison.Ordinal)
                && candidate.AsSpan(prefix.Length, 32).ContainsAnyExcept("0123456789abcdef") is false)
            {
                return true;
            }
        }

        return false;
    }
}
