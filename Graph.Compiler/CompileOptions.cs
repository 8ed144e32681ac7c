using Graph.Core;

namespace Graph.Compiler;

/// <summary>What a compiled graph must be able to do.</summary>
public sealed class CompileOptions
{
    /// <summary>Values <c>Session.Output</c> can read after <c>Forward</c>.</summary>
    public IReadOnlyList<Value> Outputs { get; init; } = [];

    /// <summary>Values <c>Session.Backward</c> can start from; each gets a backward plan and is readable with <c>Output</c>.</summary>
    public IReadOnlyList<Value> GradientRoots { get; init; } = [];

    /// <summary>Non-leaf values whose gradient the session keeps, like <c>tensor.retain_grad()</c>.</summary>
    public IReadOnlyList<Value> RetainGrad { get; init; } = [];

    /// <summary>
    /// The most bytes the arena of intermediates may take, or null for no budget. When the plan needs more, forward
    /// values the backward pass reads are recomputed during backward instead of being kept from forward to backward,
    /// chosen by bytes saved per FLOP recomputed, as few as meet the budget; gradients stay bitwise the same. A budget
    /// at or above the unbudgeted arena changes nothing; one below what recomputation reaches throws
    /// <see cref="GraphBuildException"/> naming the smallest feasible budget. Needs static shapes.
    /// </summary>
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>
    /// Whether intermediates share memory (true: best-fit reuse, in-place execution and aliasing). False gives
    /// every intermediate its own bytes: the reference that planned execution must match bit for bit.
    /// </summary>
    public bool PlanMemory { get; init; } = true;

    /// <summary>Whether runs of elementwise steps execute tile by tile (true), keeping their intermediates in cache.</summary>
    public bool Fuse { get; init; } = true;

    /// <summary>
    /// Whether the simplification passes run after differentiation (true): constant folding, transpose folding (a
    /// product reads <c>w.T()</c> as w is stored) and common-subexpression elimination. False compiles the graph
    /// exactly as built, to see what the passes changed (compare <c>ToString()</c>) or to rule them out.
    /// </summary>
    public bool Simplify { get; init; } = true;

    /// <summary>
    /// Whether the compiler checks the IR after every pass and the memory plan at the end (<see cref="IrVerifier"/>,
    /// <see cref="MemoryPlanVerifier"/>). Null takes <see cref="VerifyByDefault"/>: on in Debug builds and when the
    /// environment variable <c>GRAPH_VERIFY_PASSES</c> is <c>1</c> (the test settings set it), off otherwise.
    /// </summary>
    public bool? VerifyPasses { get; init; }

    /// <summary>What a null <see cref="VerifyPasses"/> means in this process.</summary>
    public static bool VerifyByDefault { get; } =
#if DEBUG
        true;
#else
        Environment.GetEnvironmentVariable("GRAPH_VERIFY_PASSES") == "1";
#endif
}
