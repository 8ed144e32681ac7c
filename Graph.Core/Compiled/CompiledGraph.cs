using System.Text;

namespace Graph.Core;

/// <summary>
/// A graph compiled once and run many times: all its values (forward and backward), the forward tape, a
/// backward plan per gradient root, and the memory plan. Plain data, so a loaded file runs without the compiler.
/// </summary>
public sealed class CompiledGraph
{
    /// <summary>Assembles a compiled graph; the compiler and the file loader call this.</summary>
    internal CompiledGraph(ComputeGraph graph, IReadOnlyList<Value> outputs, IReadOnlyList<Value> retainGrad, Tape forward, IReadOnlyList<BackwardPlan> backward, MemoryPlan memory)
    {
        Graph = graph;
        Outputs = outputs;
        RetainGrad = retainGrad;
        Forward = forward;
        Backward = backward;
        Memory = memory;
    }

    /// <summary>Every value: the user's, the backward pass's and the gradient seeds; <c>Graph.Values[v.Id] == v</c>.</summary>
    public ComputeGraph Graph { get; }

    /// <summary>Values that <c>Session.Output</c> may read after a forward pass.</summary>
    public IReadOnlyList<Value> Outputs { get; }

    /// <summary>The gradient roots, in the order they were given.</summary>
    public IReadOnlyList<Value> GradientRoots => Backward.Select(b => b.Root).ToArray();

    /// <summary>Non-leaf values whose gradient the session keeps.</summary>
    public IReadOnlyList<Value> RetainGrad { get; }

    /// <summary>The forward tape.</summary>
    public Tape Forward { get; }

    /// <summary>One backward plan per gradient root.</summary>
    public IReadOnlyList<BackwardPlan> Backward { get; }

    /// <summary>
    /// Where every intermediate lives. A dynamic graph (<see cref="IsDynamic"/>) has no plan of its own (no buffers):
    /// a session plans each concrete size it is given.
    /// </summary>
    public MemoryPlan Memory { get; }

    /// <summary>
    /// True when an input has a dynamic dimension (-1 in its shape): sizes are fixed when a session is given tensors,
    /// and the session plans and caches each concrete shape (<c>SessionOptions.PlanCacheCapacity</c>).
    /// </summary>
    public bool IsDynamic => Graph.Values.Any(v => v.IsLeaf && v.Shape.IsDynamic);

    /// <summary>How the tapes were lowered; the plans of a dynamic graph's concrete sizes are lowered the same way.</summary>
    internal LoweringOptions Lowering { get; init; } = LoweringOptions.Default;

    /// <summary>
    /// The concrete graph for the sizes <paramref name="inputShape"/> gives each input: the graph compiled with those
    /// sizes fixed. Sessions call this once per new size of a dynamic graph.
    /// </summary>
    /// <exception cref="GraphBuildException">The sizes break a shape rule or two dynamic sizes that must agree differ.</exception>
    internal CompiledGraph Specialize(Func<Value, Shape> inputShape) => Planning.Specialization.Specialize(this, inputShape);

    /// <summary>
    /// The concrete graph a session runs at batch size <paramref name="batch"/>: every input's dynamic leading dimension
    /// set to it, with the fusion and the memory plan made for those sizes (what <c>graph plan --batch</c> draws). A
    /// dynamic graph's own <see cref="Memory"/> has no buffers, because its plan depends on the batch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The graph is not dynamic, or an input has a dynamic dimension other than its first, which a batch size does not fix.</exception>
    /// <exception cref="GraphBuildException">The batch size breaks a shape rule; the message names the node.</exception>
    public CompiledGraph ForBatch(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (!IsDynamic)
        {
            throw new InvalidOperationException("The graph has no dynamic dimension: its sizes, and its memory plan, are fixed already.");
        }

        if (Graph.Values.FirstOrDefault(v => v.IsLeaf && v.Shape.Dims[Math.Min(1, v.Shape.Rank)..].Contains(Shape.Dynamic)) is { } other)
        {
            throw new InvalidOperationException($"'{other.Name}' {other.Shape} has a dynamic dimension other than its first, which a batch size does not fix.");
        }

        return Specialize(leaf =>
        {
            if (!leaf.Shape.IsDynamic)
            {
                return leaf.Shape;
            }

            int[] dims = leaf.Shape.ToArray();
            dims[0] = batch;
            return new Shape(dims);
        });
    }

    /// <summary>The value named <paramref name="name"/>: how a loaded graph is used.</summary>
    /// <exception cref="KeyNotFoundException">No value has that name; the message lists similar names.</exception>
    public Value Find(string name) => Graph.Find(name);

    /// <summary>
    /// The graph as Graphviz dot (<c>dot -Tsvg</c> draws it): forward and backward tapes as clusters, fused runs boxed,
    /// in-place and view edges marked, each node labelled with its name, op, shape, dtype and source line.
    /// </summary>
    public string ToDot() => DotWriter.Write(this);

    /// <summary>The tapes, one instruction a line, with shapes, <c>GradFn</c> names and where each value was built (<c>@ Model.cs:42</c>).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine("leaves:");
        foreach (Value v in Graph.Values.Where(v => v.IsLeaf && IsUsed(v)))
        {
            text.AppendLine($"  {v.Name}: {v.Type} {v.Kind.ToString().ToLowerInvariant()}{(v.RequiresGrad ? " requires_grad" : string.Empty)}");
        }

        AppendTape(text, "forward:", Forward);
        foreach (BackwardPlan plan in Backward)
        {
            AppendTape(text, $"backward of {plan.Root.Name} (seed {plan.Seed.Name}):", plan.Tape);
            foreach (GradientAccumulation a in plan.Accumulations)
            {
                text.AppendLine($"  {a.Target.Name}.grad += {a.Gradient.Name}");
            }
        }

        text.Append(Memory);
        return text.ToString();
    }

    private static void AppendTape(StringBuilder text, string title, Tape tape)
    {
        text.AppendLine(title);
        foreach (Value v in tape.Steps)
        {
            string attributes = v.Attributes.Count == 0 ? string.Empty : $" {{{v.Attributes}}}";
            string gradFn = v.GradFn is null ? string.Empty : $"  {v.GradFn}";
            string source = v.Source is null ? string.Empty : $"  @ {v.Source}";
            text.AppendLine($"  {v.Name}: {v.Type} = {v.Op!.Name}({string.Join(", ", v.Inputs.Select(i => i.Name))}){attributes}{gradFn}{source}");
        }
    }

    private bool IsUsed(Value leaf) =>
        Forward.Steps.Any(s => s.Inputs.Contains(leaf)) || Backward.Any(b => b.Seed == leaf || b.Tape.Steps.Any(s => s.Inputs.Contains(leaf)) || b.Accumulations.Any(a => a.Target == leaf || a.Gradient == leaf));
}
