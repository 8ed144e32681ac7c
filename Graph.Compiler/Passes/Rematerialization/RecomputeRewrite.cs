using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Compiler.Passes.Rematerialization;

/// <summary>
/// Rebuilds a differentiated graph so that groups of forward values are recomputed during backward. Each root's tape
/// gets its own copy of each group member it needs, a backward node placed right before the first backward node that
/// reads it (directly, or through another copy of the group), so the tapes, in id order, compute every copy before its
/// first reader. That tape's backward nodes read the group's copy of a head instead of the forward value, which then
/// dies with its last forward reader. A copy reads its group's copies of the operands the group recomputes and the
/// forward values of the others, which stay alive for it. Copies of batch norm have <c>update_running_stats=False</c>:
/// the running statistics are updated once, on the forward tape. Forward ids and every name stay; backward ids shift
/// past the copies inserted before them. A copy is named <c>name.recompute</c> in the group it heads, and
/// <c>name.recompute_g</c> in group g otherwise (with <c>.r</c> for root r when there are several roots).
/// </summary>
internal static class RecomputeRewrite
{
    public static Differentiated Run(RecomputeAnalysis analysis, IReadOnlyList<RecomputeGroup> groups)
    {
        Differentiated d = analysis.Differentiated;
        IReadOnlyList<Value> values = d.Graph.Values;
        int forwardCount = d.ForwardCount;
        int[] headOf = Enumerable.Repeat(-1, forwardCount).ToArray();
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int head in groups[g].Heads)
            {
                headOf[head] = g;
            }
        }

        // The copies to add before each backward id, by group and then forward id (topological within a group).
        var copiesBefore = new Dictionary<int, List<(int Root, int Group, int Id)>>();
        for (int r = 0; r < d.Roots.Count; r++)
        {
            for (int g = 0; g < groups.Count; g++)
            {
                foreach ((int id, int before) in Placement(analysis, headOf, groups[g], g, r))
                {
                    if (!copiesBefore.TryGetValue(before, out List<(int, int, int)>? list))
                    {
                        copiesBefore[before] = list = [];
                    }

                    list.Add((r, g, id));
                }
            }
        }

        GraphBuilder builder = GraphBuilder.Extend(new ComputeGraph(values.Take(forwardCount).ToArray()));
        var copies = new Dictionary<(int Root, int Group, int Id), Value>();
        Value[] rebuilt = new Value[values.Count];
        for (int id = 0; id < forwardCount; id++)
        {
            rebuilt[id] = builder.ValueAt(id);
        }

        for (int id = forwardCount; id < values.Count; id++)
        {
            foreach ((int root, int group, int of) in (copiesBefore.GetValueOrDefault(id) ?? []).OrderBy(c => (c.Group, c.Id, c.Root)))
            {
                Value v = values[of];
                Value[] inputs = v.Inputs.Select(i => copies.GetValueOrDefault((root, group, i.Id)) ?? rebuilt[i.Id]).ToArray();
                OpAttributes attributes = v.Op is BatchNorm ? v.Attributes.With("update_running_stats", false) : v.Attributes;
                string name = (headOf[of] == group ? $"{v.Name}.recompute" : $"{v.Name}.recompute_{group}") + (d.Roots.Count == 1 ? string.Empty : $".{root}");
                copies[(root, group, of)] = builder.AddNode(v.Op!, attributes, inputs, name, v.RequiresGrad, v.Source);
            }

            Value b = values[id];
            int owner = analysis.Owner[id];
            rebuilt[id] = b.Op is null
                ? builder.AddLeaf(b.Name, b.Kind, b.Type, b.RequiresGrad, b.Data, b.Source)
                : builder.AddNode(b.Op, b.Attributes, b.Inputs.Select(i => Operand(i, owner)).ToArray(), b.Name, b.RequiresGrad, b.Source);
        }

        Value Operand(Value input, int owner) =>
            input.Id < forwardCount && owner >= 0 && headOf[input.Id] >= 0 ? copies[(owner, headOf[input.Id], input.Id)] : rebuilt[input.Id];

        ComputeGraph graph = builder.Build();
        return d.Renumbered(graph, rebuilt.Select(v => v.Id).ToArray());
    }

    /// <summary>
    /// The members of group <paramref name="g"/> root <paramref name="root"/>'s tape needs, each with the backward id
    /// before which its copy is computed: the least id of a node of the tape that reads it (a head), or of the node
    /// before which a copy of the group that reads it is computed.
    /// </summary>
    private static IEnumerable<(int Id, int Before)> Placement(RecomputeAnalysis analysis, int[] headOf, RecomputeGroup group, int g, int root)
    {
        IReadOnlyList<Value> values = analysis.Differentiated.Graph.Values;
        int forwardCount = analysis.Differentiated.ForwardCount;
        var before = new Dictionary<int, int>();
        for (int id = values.Count - 1; id >= forwardCount; id--)
        {
            if (analysis.Owner[id] == root)
            {
                foreach (Value input in values[id].Inputs.Where(i => i.Id < forwardCount && headOf[i.Id] == g))
                {
                    before[input.Id] = id;
                }
            }
        }

        // Operands have smaller ids than their readers, so one pass down the members settles every copy's place.
        var members = new HashSet<int>(group.Members);
        foreach (int id in group.Members.OrderDescending())
        {
            if (!before.TryGetValue(id, out int at))
            {
                continue;
            }

            foreach (Value input in values[id].Inputs.Where(i => members.Contains(i.Id)))
            {
                before[input.Id] = Math.Min(before.GetValueOrDefault(input.Id, int.MaxValue), at);
            }
        }

        return before.Select(p => (p.Key, p.Value));
    }
}
