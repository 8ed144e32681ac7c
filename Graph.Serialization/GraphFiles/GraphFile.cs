using Graph.Core;
using Graph.Runtime;

namespace Graph.Serialization;

/// <summary>
/// Saves and loads <c>.graph</c> files (docs/graph-format.md): a compiled graph with its tapes, memory plan and
/// parameter values, and for a session also its optimizer state. A loaded graph runs with Core and Runtime
/// alone, exactly like the one saved.
/// </summary>
/// <remarks>
/// Saving replaces the file atomically: a failure leaves the old file as it was. Loading trusts nothing in the
/// file: every length, id, op, shape and offset is checked before it is used, and a damaged, truncated or hostile
/// file throws <see cref="GraphFormatException"/>, never another exception, a hang or an unbounded allocation.
/// Gradients are not saved: a loaded session's <c>Grad</c> is null until its first backward pass.
/// </remarks>
public static class GraphFile
{
    /// <summary>Saves <paramref name="graph"/>: its values, tapes and memory plan, and its parameters' initial values.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    /// <exception cref="InvalidOperationException">The file would be larger than the 2 GiB a <c>.graph</c> file may have.</exception>
    public static void Save(CompiledGraph graph, string path)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Write(path, stream => GraphFileWriter.WriteTo(stream, graph, session: null));
    }

    /// <summary>
    /// Saves <paramref name="session"/>'s graph with the current parameter values (frozen ones and running
    /// statistics included), the optimizer state (momentum buffers, moments, step counts) and the run state (the
    /// forward-pass count dropout draws its masks from). Gradients are not saved.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another thread is using the session.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    /// <exception cref="InvalidOperationException">The file would be larger than the 2 GiB a <c>.graph</c> file may have.</exception>
    public static void Save(Session session, string path)
    {
        ArgumentNullException.ThrowIfNull(session);
        using SessionUse.Scope use = session.Enter("GraphFile.Save"); // a step on another thread meanwhile would tear the checkpoint
        Write(path, stream => GraphFileWriter.WriteTo(stream, session.Graph, session));
    }

    /// <summary>Loads a compiled graph; its parameters start from the saved values (a session file's current ones).</summary>
    /// <exception cref="GraphFormatException">The file is damaged, truncated, hostile, or of a newer major version.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CompiledGraph Load(string path) => Read(path).Graph;

    /// <summary>
    /// Loads a session: parameters from the saved values and, for a file saved from a session, the optimizer
    /// state, so that a new optimizer of the same kind and settings continues where the saved one stopped.
    /// Gradients start unset (<c>Grad</c> is null until a backward pass).
    /// </summary>
    /// <exception cref="GraphFormatException">The file is damaged, truncated, hostile, or of a newer major version.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Session LoadSession(string path) => CreateSession(Read(path));

    /// <summary>
    /// Loads a session as <see cref="LoadSession(string)"/> does, running with <paramref name="options"/> (threads,
    /// profiling): how a training run resumes from its checkpoint with the settings it ran with. Options never change
    /// the numbers, so the session continues bit for bit whatever they are.
    /// </summary>
    /// <exception cref="GraphFormatException">The file is damaged, truncated, hostile, or of a newer major version.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Session LoadSession(string path, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreateSession(Read(path), options);
    }

    /// <summary>Loads what a file holds, for tools that describe files.</summary>
    /// <exception cref="GraphFormatException">The file is damaged, truncated, hostile, or of a newer major version.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static GraphFileInfo Inspect(string path)
    {
        GraphFileContents contents = Read(path);
        SessionState? session = contents.Session;
        OptimizerSlotInfo[] slots = session?.Slots.Select(s => new OptimizerSlotInfo(s.Parameter.Name, s.Slot, s.Parameter.Type)).ToArray() ?? [];
        Dictionary<string, long> steps = session?.Steps.ToDictionary(s => s.Parameter.Name, s => s.Step, StringComparer.Ordinal) ?? [];
        return new GraphFileInfo(contents.Version, contents.Graph, session is not null, slots, steps);
    }

    /// <summary>A session of checked contents (running with <paramref name="options"/>, or the default ones); what Core and Runtime still reject is reported as a format defect.</summary>
    internal static Session CreateSession(GraphFileContents contents, SessionOptions? options = null)
    {
        try
        {
            return contents.CreateSession(options ?? SessionOptions.Default);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            throw new GraphFormatException(0, $"the graph cannot run in this runtime: {e.Message}", e);
        }
        catch (OutOfMemoryException e)
        {
            // Within the file's bound (checked before anything was allocated) but more than this process may have,
            // as under a heap limit: the caller learns that this file cannot be loaded here, as for any other file defect.
            throw new GraphFormatException(0, $"a session of this graph needs more memory than this process can allocate (a file may ask for up to {GraphFormat.MaxSessionBytes} bytes beyond what it stores)", e);
        }
    }

    private static GraphFileContents Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        GraphFileWriter.EnsureLittleEndian();
        return GraphFileReader.Read(BoundedFileReader.Read(path));
    }

    // Streamed into a temporary file that is renamed over the target: never the whole file in memory, never half a file on disk.
    private static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, write);
    }
}
