using Graph.Core;

namespace Graph.Serialization;

/// <summary>One optimizer slot recorded in a saved session.</summary>
/// <param name="Parameter">The parameter's name.</param>
/// <param name="Slot">The slot's name: <c>momentum_buffer</c> for <c>Sgd</c>, <c>exp_avg</c> and <c>exp_avg_sq</c> for <c>Adam</c> (and <c>max_exp_avg_sq</c> with amsgrad).</param>
/// <param name="Type">The slot's type, the parameter's.</param>
public readonly record struct OptimizerSlotInfo(string Parameter, string Slot, TensorType Type);

/// <summary>What a <c>.graph</c> file holds, for tools that describe files (<c>graph inspect</c>).</summary>
public sealed class GraphFileInfo
{
    internal GraphFileInfo(Version formatVersion, CompiledGraph graph, bool isSession, IReadOnlyList<OptimizerSlotInfo> optimizerSlots, IReadOnlyDictionary<string, long> optimizerSteps)
    {
        FormatVersion = formatVersion;
        Graph = graph;
        IsSession = isSession;
        OptimizerSlots = optimizerSlots;
        OptimizerSteps = optimizerSteps;
    }

    /// <summary>The format version the file was written in.</summary>
    public Version FormatVersion { get; }

    /// <summary>The compiled graph, parameters holding the saved values.</summary>
    public CompiledGraph Graph { get; }

    /// <summary>True for a file saved from a session, which records optimizer state.</summary>
    public bool IsSession { get; }

    /// <summary>The optimizer's slots; empty for a graph file or a session whose optimizer never stepped.</summary>
    public IReadOnlyList<OptimizerSlotInfo> OptimizerSlots { get; }

    /// <summary>The optimizer's step count per parameter name.</summary>
    public IReadOnlyDictionary<string, long> OptimizerSteps { get; }
}
