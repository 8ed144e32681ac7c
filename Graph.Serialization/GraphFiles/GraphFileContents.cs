using Graph.Core;
using Graph.Runtime;

namespace Graph.Serialization;

/// <summary>A loaded and checked <c>.graph</c> file: its version, its compiled graph and, for a saved session, the optimizer state.</summary>
internal sealed class GraphFileContents(Version version, CompiledGraph graph, SessionState? session)
{
    /// <summary>The format version the file was written in.</summary>
    public Version Version { get; } = version;

    /// <summary>The compiled graph; its parameters hold the saved values.</summary>
    public CompiledGraph Graph { get; } = graph;

    /// <summary>The optimizer state of a saved session; null for a file saved from a compiled graph.</summary>
    public SessionState? Session { get; } = session;

    /// <summary>A new session of the graph running with <paramref name="options"/>, the optimizer state restored; gradients start unset, as after creation.</summary>
    public Session CreateSession(SessionOptions options)
    {
        var created = new Session(Graph, options);
        Session?.RestoreInto(created);
        return created;
    }
}
