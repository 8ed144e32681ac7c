namespace Graph.Core;

/// <summary>
/// Checks a graph's invariants (ARCHITECTURE.md): dense topological ids, operands that are the graph's own earlier
/// values, leaves without operands, every node's type the one its op's shape rule gives its operands, and a gradient
/// flag no node could not have. The compiler runs it after each pass when verification is on
/// (<c>CompileOptions.VerifyPasses</c>), so a pass that breaks the IR is named at once, not found later in a kernel.
/// </summary>
public static class IrVerifier
{
    /// <summary>The first broken invariant of <paramref name="graph"/>, described, or null when there is none.</summary>
    public static string? FindDefect(ComputeGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        IReadOnlyList<Value> values = graph.Values;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int id = 0; id < values.Count; id++)
        {
            Value v = values[id];
            if (v.Id != id)
            {
                return $"the value at position {id} ('{v.Name}') has id {v.Id}";
            }

            if (!names.Add(v.Name))
            {
                return $"two values are named '{v.Name}'";
            }

            foreach (Value input in v.Inputs)
            {
                if (input.Id >= id || !ReferenceEquals(values[input.Id], input))
                {
                    return $"'{v.Name}' reads '{input.Name}' (id {input.Id}), which is not an earlier value of this graph";
                }
            }

            if (v.Op is null)
            {
                if (v.Inputs.Count != 0 || v.Kind == ValueKind.Operation)
                {
                    return $"leaf '{v.Name}' ({v.Kind}) has operands or no kind of leaf";
                }

                continue;
            }

            if (DefectOfNode(v) is { } defect)
            {
                return defect;
            }
        }

        return null;
    }

    private static string? DefectOfNode(Value v)
    {
        TensorType[] types = v.Inputs.Select(i => i.Type).ToArray();
        TensorType inferred;
        try
        {
            inferred = v.Op!.InferType(types, v.Attributes);
        }
        catch (Exception e) when (e is OpRuleException or ArgumentException)
        {
            return $"{v.Op!.Name} '{v.Name}': its shape rule refuses its operands ({e.Message})";
        }

        if (inferred != v.Type)
        {
            return $"{v.Op.Name} '{v.Name}' is {v.Type}, but its shape rule gives {inferred}";
        }

        bool couldRequireGrad = v.Op.IsDifferentiable && v.Type.DType.IsFloatingPoint() && v.Inputs.Any(i => i.RequiresGrad);
        return v.RequiresGrad && !couldRequireGrad
            ? $"{v.Op.Name} '{v.Name}' requires a gradient, but its op is not differentiable or no operand requires one"
            : null;
    }
}
