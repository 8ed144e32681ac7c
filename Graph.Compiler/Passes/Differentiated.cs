using Graph.Core;

namespace Graph.Compiler.Passes;

/// <summary>The graph with its backward subgraph: the forward values keep their ids, backward values and seeds follow.</summary>
/// <param name="Graph">Every value, forward and backward.</param>
/// <param name="ForwardCount">Values with a smaller id belong to the user's forward graph.</param>
/// <param name="Outputs">The requested outputs, resolved into <paramref name="Graph"/>.</param>
/// <param name="RetainGrad">The retained values, resolved into <paramref name="Graph"/>.</param>
/// <param name="Roots">One entry per gradient root: the root, its seed and its accumulations.</param>
internal sealed record Differentiated(
    ComputeGraph Graph,
    int ForwardCount,
    IReadOnlyList<Value> Outputs,
    IReadOnlyList<Value> RetainGrad,
    IReadOnlyList<(Value Root, Value Seed, IReadOnlyList<GradientAccumulation> Accumulations)> Roots)
{
    /// <summary>
    /// The same outputs, retained values and roots resolved into <paramref name="graph"/>, a rewrite of this graph that
    /// kept every id. An accumulation reads the gradient with id <paramref name="gradientId"/>(its id) (a pass that
    /// redirected the gradient's uses redirects it too); by default its own id.
    /// </summary>
    public Differentiated WithGraph(ComputeGraph graph, Func<int, int>? gradientId = null) => this with
    {
        Graph = graph,
        Outputs = Outputs.Select(v => graph.Values[v.Id]).ToArray(),
        RetainGrad = RetainGrad.Select(v => graph.Values[v.Id]).ToArray(),
        Roots = Roots
            .Select(r => (graph.Values[r.Root.Id], graph.Values[r.Seed.Id], (IReadOnlyList<GradientAccumulation>)r.Accumulations
                .Select(a => new GradientAccumulation(graph.Values[a.Target.Id], graph.Values[gradientId?.Invoke(a.Gradient.Id) ?? a.Gradient.Id]))
                .ToArray()))
            .ToArray(),
    };

    /// <summary>
    /// The same outputs, retained values and roots in <paramref name="graph"/>, a rewrite of this graph that kept every
    /// forward id but moved backward values: the value with id i here has id <paramref name="newId"/>[i] there.
    /// </summary>
    public Differentiated Renumbered(ComputeGraph graph, int[] newId)
    {
        Value At(Value v) => graph.Values[newId[v.Id]];
        return this with
        {
            Graph = graph,
            Outputs = Outputs.Select(At).ToArray(),
            RetainGrad = RetainGrad.Select(At).ToArray(),
            Roots = Roots
                .Select(r => (At(r.Root), At(r.Seed), (IReadOnlyList<GradientAccumulation>)r.Accumulations
                    .Select(a => new GradientAccumulation(At(a.Target), At(a.Gradient)))
                    .ToArray()))
                .ToArray(),
        };
    }
}
