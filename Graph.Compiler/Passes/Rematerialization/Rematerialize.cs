using Graph.Core;

namespace Graph.Compiler.Passes.Rematerialization;

/// <summary>
/// Rematerialization under <see cref="CompileOptions.MemoryBudgetBytes"/>: when the plan of the differentiated graph
/// needs a larger arena than the budget, forward values the backward tapes read are recomputed during backward instead
/// of being kept from forward to backward. The candidates are the prefixes of <see cref="RecomputeOrder.ByCostModel"/>
/// and <see cref="RecomputeOrder.SqrtCheckpoints"/>; the pass takes the one that recomputes the fewest FLOPs whose plan
/// fits (each prefix planned exactly as the compiler will
/// plan the result), so the least is recomputed that meets the budget, and a budget at or above the plan's arena
/// changes nothing. Recomputed values are computed by the same kernels from the same operands, so every gradient is
/// bitwise the unbudgeted one.
/// </summary>
internal static class Rematerialize
{
    /// <summary>The pass for a budget of <paramref name="budgetBytes"/>; <paramref name="plan"/> lowers a graph as the compiler will.</summary>
    /// <exception cref="GraphBuildException">No prefix of the order fits the budget; the message names the smallest budget one meets.</exception>
    public static Differentiated Run(Differentiated d, long budgetBytes, Func<Differentiated, MemoryPlan> plan)
    {
        MemoryPlan unbudgeted = plan(d);
        if (unbudgeted.ArenaBytes <= budgetBytes)
        {
            return d;
        }

        var analysis = RecomputeAnalysis.Run(d);
        IReadOnlyList<RecomputeGroup[]> picks = RecomputeOrder.ByCostModel(analysis);

        // Cheapest first; √n checkpointing joins the greedy's prefixes, so the pass never recomputes more than it for a
        // budget it meets. The candidates do not depend on the budget, so the smallest arena named below is one met.
        IEnumerable<RecomputeGroup[]> candidates = picks
            .Append(RecomputeOrder.SqrtCheckpoints(analysis))
            .OrderBy(groups => RecomputeCost.Flops(d.Graph.Values, groups));
        long smallest = unbudgeted.ArenaBytes;
        foreach (RecomputeGroup[] groups in candidates)
        {
            Differentiated candidate = RecomputeRewrite.Run(analysis, groups);
            long arena = plan(candidate).ArenaBytes;
            if (arena <= budgetBytes)
            {
                return candidate;
            }

            smallest = Math.Min(smallest, arena);
        }

        throw new GraphBuildException(
            $"CompileOptions.MemoryBudgetBytes is {budgetBytes:N0} B, but the smallest arena recomputation reaches is {smallest:N0} B " +
            $"(without recomputing, the arena is {unbudgeted.ArenaBytes:N0} B and the live lower bound {unbudgeted.LiveLowerBoundBytes:N0} B; " +
            $"{picks.Count} values could be recomputed). Set MemoryBudgetBytes to at least {smallest} (the smallest feasible budget), or use a smaller batch.");
    }
}
