using Graph.Compiler.Lowering;
using Graph.Core.Planning;
using Graph.Compiler.Passes;
using Graph.Compiler.Passes.Rematerialization;
using Graph.Core;

namespace Graph.Compiler;

/// <summary>
/// Compiles a graph once: differentiate from the gradient roots, simplify the whole graph (<see cref="GraphPasses"/>),
/// drop what no output needs, schedule the forward and backward tapes, fuse runs of elementwise steps, and plan the
/// memory of every intermediate. With <see cref="CompileOptions.VerifyPasses"/>, the IR is verified after every graph
/// pass and the memory plan at the end, and a defect is reported with the pass that made it.
/// </summary>
public static class GraphCompiler
{
    /// <summary>
    /// The graph-to-graph passes after differentiation, in order (<see cref="CompileOptions.Simplify"/>). Each keeps
    /// every value's id, name and type (a user's values resolve in the result): it redirects which values later ones
    /// read, or rebuilds a node in place as another op or a constant that computes the same value.
    /// </summary>
    internal static IReadOnlyList<(string Name, Func<Differentiated, Differentiated> Run)> GraphPasses { get; } =
    [
        ("ConstantFolding", ConstantFolding.Run),
        ("TransposeFolding", TransposeFolding.Run),
        ("CommonSubexpressions", CommonSubexpressions.Run),
    ];

    /// <summary>Compiles <paramref name="graph"/> for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option names a value of another graph, or a root or retained value that cannot have a gradient.</exception>
    /// <exception cref="GraphBuildException">The intermediates alive at once need more bytes than one arena holds.</exception>
    /// <exception cref="InvalidOperationException">Verification is on and a pass broke the IR or the memory plan (a compiler bug).</exception>
    public static CompiledGraph Compile(ComputeGraph graph, CompileOptions options) => Compile(graph, options, chooseRecomputed: null);

    /// <summary>
    /// Compiles <paramref name="graph"/> with the forward values <paramref name="chooseRecomputed"/> picks recomputed
    /// during backward whatever the arena (<see cref="RecomputeOrder.SqrtCheckpoints"/>, the baseline the budget's cost
    /// model is compared with); <see cref="CompileOptions.MemoryBudgetBytes"/> must be null.
    /// </summary>
    internal static CompiledGraph CompileWithRecomputed(ComputeGraph graph, CompileOptions options, Func<RecomputeAnalysis, RecomputeGroup[]> chooseRecomputed) =>
        Compile(graph, options, chooseRecomputed);

    private static CompiledGraph Compile(ComputeGraph graph, CompileOptions options, Func<RecomputeAnalysis, RecomputeGroup[]>? chooseRecomputed)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        bool verify = options.VerifyPasses ?? CompileOptions.VerifyByDefault;
        Differentiated differentiated = Differentiate.Run(graph, options);
        Verify(verify, "Differentiate", differentiated.Graph);
        foreach ((string name, Func<Differentiated, Differentiated> run) in options.Simplify ? GraphPasses : [])
        {
            differentiated = run(differentiated);
            Verify(verify, name, differentiated.Graph);
        }

        bool dynamic = differentiated.Graph.Values.Any(v => v.IsLeaf && v.Shape.IsDynamic);
        if (options.MemoryBudgetBytes is { } budget)
        {
            if (budget < 0 || dynamic)
            {
                throw new ArgumentException($"CompileOptions.MemoryBudgetBytes is {budget:N0}: a budget must be at least 0 bytes and the graph's shapes static (a -1 dimension has no size to plan). Remove the budget or the dynamic dimension.", nameof(options));
            }

            differentiated = Rematerialize.Run(differentiated, budget, d => Lower(d, options).Memory);
            Verify(verify, "Rematerialize", differentiated.Graph);
        }
        else if (chooseRecomputed is not null)
        {
            var analysis = RecomputeAnalysis.Run(differentiated);
            differentiated = RecomputeRewrite.Run(analysis, chooseRecomputed(analysis));
            Verify(verify, "Rematerialize", differentiated.Graph);
        }

        var lowering = new LoweringOptions(options.Fuse, options.PlanMemory);
        if (dynamic)
        {
            // Fusion and placement need sizes: a session lowers each concrete size with the same options.
            Schedule unsized = Linearize.Run(differentiated);
            return new CompiledGraph(differentiated.Graph, unsized.Outputs, differentiated.RetainGrad, unsized.Forward, unsized.Backward, MemoryPlan.Deferred(unsized.Forward, unsized.Backward)) { Lowering = lowering };
        }

        (Schedule schedule, MemoryPlan memory) = Lower(differentiated, options);
        ArenaLimit.Check(memory);
        var compiled = new CompiledGraph(differentiated.Graph, schedule.Outputs, differentiated.RetainGrad, schedule.Forward, schedule.Backward, memory) { Lowering = lowering };
        if (verify && MemoryPlanVerifier.FindDefect(compiled) is { } planDefect)
        {
            throw new InvalidOperationException($"The memory plan is broken (a compiler bug): {planDefect}.");
        }

        return compiled;
    }

    /// <summary>Schedules the tapes, fuses elementwise runs and plans the memory, as <paramref name="options"/> ask.</summary>
    private static (Schedule Schedule, MemoryPlan Memory) Lower(Differentiated differentiated, CompileOptions options)
    {
        Schedule schedule = Linearize.Run(differentiated);
        if (options.Fuse)
        {
            schedule = schedule with
            {
                Forward = FuseElementwise.Run(schedule.Forward),
                Backward = schedule.Backward.Select(b => new BackwardPlan(b.Root, b.Seed, FuseElementwise.Run(b.Tape), b.Accumulations)).ToArray(),
            };
        }

        return (schedule, PlanMemory.Run(schedule, options.PlanMemory));
    }

    private static void Verify(bool verify, string pass, ComputeGraph graph)
    {
        if (verify && IrVerifier.FindDefect(graph) is { } defect)
        {
            throw new InvalidOperationException($"The IR after the {pass} pass is broken (a compiler bug): {defect}.");
        }
    }
}
