using Graph.Compiler.Lowering;
using Graph.Compiler.Passes;
using Graph.Core;

namespace Graph.Compiler;

/// <summary>
/// Compiles a graph once: differentiate from the gradient roots, drop what no output needs, schedule the
/// forward and backward tapes, fuse runs of elementwise steps, and plan the memory of every intermediate.
/// </summary>
public static class GraphCompiler
{
    /// <summary>Compiles <paramref name="graph"/> for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option names a value of another graph, or a root or retained value that cannot have a gradient.</exception>
    /// <exception cref="GraphBuildException">The intermediates alive at once need more bytes than one arena holds.</exception>
    public static CompiledGraph Compile(ComputeGraph graph, CompileOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        Differentiated differentiated = Differentiate.Run(graph, options);
        Schedule schedule = Linearize.Run(differentiated);
        if (options.Fuse)
        {
            schedule = schedule with
            {
                Forward = FuseElementwise.Run(schedule.Forward),
                Backward = schedule.Backward.Select(b => new BackwardPlan(b.Root, b.Seed, FuseElementwise.Run(b.Tape), b.Accumulations)).ToArray(),
            };
        }

        MemoryPlan memory = PlanMemory.Run(schedule, options.PlanMemory);
        ArenaLimit.Check(memory);
        return new CompiledGraph(differentiated.Graph, schedule.Outputs, differentiated.RetainGrad, schedule.Forward, schedule.Backward, memory);
    }
}
