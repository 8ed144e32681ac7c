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
    IReadOnlyList<(Value Root, Value Seed, IReadOnlyList<GradientAccumulation> Accumulations)> Roots);
