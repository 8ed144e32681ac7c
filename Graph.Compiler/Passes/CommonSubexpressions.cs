using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Compiler.Passes;

/// <summary>
/// Common-subexpression elimination: a step that applies the same op, with the same attributes, to the same operands
/// as an earlier step of the same stretch (the forward graph, or one root's backward part) reads that step's value
/// instead. Each root's backward values are merged only among themselves: a backward tape computes what its root needs,
/// so a value merged across two roots would be on both tapes, which the memory plan (one lifetime per value) cannot
/// place, and a backward pass of one root must not depend on another's having run.
/// Ids, names and the eliminated values themselves stay (an output or root that was eliminated is still computed;
/// anything else is left to dead-code elimination), so every value a user holds still resolves. Redirections run in id
/// order, so chains of duplicates collapse: two copies of a forward subgraph leave one, and so do their gradients.
/// Ops with an effect besides their output (<see cref="OpTraits.UpdatesInputs"/>) and random ones are never merged,
/// nor values that differ in whether they require a gradient (one may be built under NoGrad).
/// </summary>
internal static class CommonSubexpressions
{
    public static Differentiated Run(Differentiated d)
    {
        IReadOnlyList<Value> values = d.Graph.Values;
        int[] replacement = Enumerable.Range(0, values.Count).ToArray();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        // Differentiate adds each root's seed and then that root's backward values, so a root's values follow its seed.
        int[] seeds = d.Roots.Select(r => r.Seed.Id).Order().ToArray();
        bool changed = false;
        foreach (Value v in values)
        {
            if (v.Op is not { } op || op.Traits.HasFlag(OpTraits.UpdatesInputs) || op is DropoutMask)
            {
                continue;
            }

            int stretch = v.Id < d.ForwardCount ? -1 : seeds.Count(seed => seed <= v.Id);
            if (Key(v, replacement, stretch) is not { } key)
            {
                continue;
            }

            if (seen.TryGetValue(key, out int earlier))
            {
                replacement[v.Id] = earlier;
                changed = true;
            }
            else
            {
                seen.Add(key, v.Id);
            }
        }

        if (!changed)
        {
            return d;
        }

        return d.WithGraph(GraphBuilder.Extend(d.Graph, replacement).Build(), id => replacement[id]);
    }

    // The op, its attributes, the operands after redirection, the gradient flag and the stretch (-1 forward, else the
    // root's position): everything the value's computation depends on. Null (never merged) when an attribute is of a
    // kind this key cannot print exactly.
    private static string? Key(Value v, int[] replacement, int stretch)
    {
        var text = new System.Text.StringBuilder();
        text.Append(stretch.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(v.RequiresGrad ? 'g' : 'n').Append(' ').Append(v.Op!.Name).Append('(');
        text.AppendJoin(',', v.Inputs.Select(i => replacement[i.Id])).Append(") ").Append(v.Type.ToString());
        foreach ((string name, object value) in v.Attributes.Values)
        {
            string? printed = value switch
            {
                int[] array => "[" + string.Join(',', array) + "]",
                double x => BitConverter.DoubleToInt64Bits(x).ToString(System.Globalization.CultureInfo.InvariantCulture),
                int or long or bool or string or DType => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            if (printed is null)
            {
                return null;
            }

            text.Append(' ').Append(name).Append('=').Append(printed);
        }

        return text.ToString();
    }
}
