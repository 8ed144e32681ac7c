namespace Graph.Serialization;

/// <summary>
/// Weights do not fit a session: a parameter the weights lack, a tensor the session has no parameter for (in
/// strict loading), or a tensor whose shape or dtype differs from its parameter's. The message lists every
/// problem, each naming the tensor, what the weights hold, what the session expects, and the fix; when it is
/// thrown, nothing has been copied.
/// </summary>
/// <remarks>
/// An <see cref="ArgumentException"/> because the weights passed in are what is wrong; a file that is not valid
/// safetensors throws <see cref="SafetensorsFormatException"/> instead, before any name is compared.
/// </remarks>
public sealed class WeightLoadException : ArgumentException
{
    /// <summary>An error listing <paramref name="problems"/>, one sentence each, found loading <paramref name="source"/>.</summary>
    /// <param name="source">Where the weights came from (a file name), for the message.</param>
    /// <param name="problems">Every problem found, one sentence each.</param>
    public WeightLoadException(string source, IReadOnlyList<string> problems)
        : base(Compose(source, problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, one sentence each, in the order of the names.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Compose(string source, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        string count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
        return $"Cannot load the weights in {source} into the session ({count}; nothing was loaded):{Environment.NewLine}- "
            + string.Join(Environment.NewLine + "- ", problems);
    }
}
