using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>
/// What a rewriting pass puts at a value's id instead of the value: another op or operands, or a constant. The
/// value's id, name, type and source stay.
/// </summary>
/// <param name="Op">The op, or null for a constant leaf.</param>
/// <param name="Inputs">The operands, values of the builder being rewritten into (earlier ids); empty for a constant.</param>
/// <param name="Attributes">The op's attributes.</param>
/// <param name="Data">A constant's elements, else null.</param>
internal readonly record struct NodeForm(OpDef? Op, Value[] Inputs, OpAttributes Attributes, Tensor? Data)
{
    /// <summary>The constant leaf holding <paramref name="data"/>.</summary>
    public static NodeForm Constant(Tensor data) => new(null, [], OpAttributes.Empty, data);
}

public sealed partial class GraphBuilder
{
    /// <summary>
    /// A builder that continues <paramref name="graph"/>, as <see cref="Extend(ComputeGraph, IReadOnlyList{int}?)"/>,
    /// with some nodes rebuilt: for each value in id order, <paramref name="reform"/> gets the value and its operands
    /// as already rewritten, and returns the form to put at its id, or null to keep it. A constant form drops the
    /// gradient flag (a constant has none); any other keeps it. Types are not re-inferred here: the IR verifier after
    /// each pass checks that every rebuilt node's shape rule still gives its type.
    /// </summary>
    internal static GraphBuilder Rewrite(ComputeGraph graph, Func<Value, Value[], NodeForm?> reform)
    {
        var builder = new GraphBuilder();
        foreach (Value v in graph.Values)
        {
            var inputs = new Value[v.Inputs.Count];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = builder._values[v.Input(i).Id];
            }

            Value rebuilt = reform(v, inputs) is { } form
                ? form.Op is null
                    ? new Value(builder, v.Id, v.Name, ValueKind.Constant, op: null, [], OpAttributes.Empty, v.Type, requiresGrad: false, form.Data, v.Source)
                    : new Value(builder, v.Id, v.Name, v.Kind, form.Op, form.Inputs, form.Attributes, v.Type, v.RequiresGrad, data: null, v.Source)
                : new Value(builder, v.Id, v.Name, v.Kind, v.Op, inputs, v.Attributes, v.Type, v.RequiresGrad, v.Data, v.Source);
            builder.Add(rebuilt);
        }

        return builder;
    }
}
