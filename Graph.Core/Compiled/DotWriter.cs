using System.Globalization;
using System.Text;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>
/// A compiled graph as Graphviz dot: the leaves on their own, a cluster for the forward tape and one per backward
/// plan, each fused run boxed inside its tape's cluster, edges from operands to steps (bold where the step writes
/// over its operand's bytes, dotted where it is a view of them) and dashed accumulation edges into the leaves' gradients.
/// </summary>
internal static class DotWriter
{
    public static string Write(CompiledGraph graph)
    {
        var storage = new Dictionary<int, int>();
        foreach (BufferAssignment b in graph.Memory.Buffers)
        {
            storage[b.Value.Id] = b.Storage;
        }

        var text = new StringBuilder();
        text.AppendLine("digraph compiled {");
        text.AppendLine("  rankdir=TB;");
        text.AppendLine("  node [fontname=\"Helvetica\", fontsize=10];");
        text.AppendLine("  edge [fontname=\"Helvetica\", fontsize=9];");

        var stepIds = graph.Forward.Steps.Concat(graph.Backward.SelectMany(b => b.Tape.Steps)).Select(v => v.Id).ToHashSet();
        var leaves = graph.Forward.Steps.Concat(graph.Backward.SelectMany(b => b.Tape.Steps))
            .SelectMany(v => v.Inputs)
            .Concat(graph.Backward.SelectMany(b => b.Accumulations.SelectMany(a => new[] { a.Target, a.Gradient })))
            .Where(v => !stepIds.Contains(v.Id))
            .DistinctBy(v => v.Id)
            .OrderBy(v => v.Id);
        foreach (Value leaf in leaves)
        {
            string shape = leaf.Kind == ValueKind.Parameter ? "ellipse" : leaf.Kind == ValueKind.Constant ? "plaintext" : "invhouse";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Id(leaf)} [shape={shape}, label={Quote($"{leaf.Name}\n{leaf.Kind.ToString().ToLowerInvariant()} {leaf.Type}{Source(leaf)}")}];");
        }

        WriteTape(text, "forward", "forward", graph.Forward, "#eef3fb");
        for (int i = 0; i < graph.Backward.Count; i++)
        {
            BackwardPlan plan = graph.Backward[i];
            WriteTape(text, $"backward_{i}", $"backward of {plan.Root.Name}", plan.Tape, "#fbf0ee");
        }

        foreach (Value step in graph.Forward.Steps.Concat(graph.Backward.SelectMany(b => b.Tape.Steps)))
        {
            foreach (Value input in step.Inputs.DistinctBy(v => v.Id))
            {
                bool shared = storage.TryGetValue(step.Id, out int s) && storage.TryGetValue(input.Id, out int t) && s == t;
                string style = !shared ? string.Empty
                    : step.Op!.Traits.HasFlag(OpTraits.Alias) ? " [style=dotted, label=\"view\"]"
                    : " [style=bold, color=\"#c0392b\", label=\"in place\"]";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {Id(input)} -> {Id(step)}{style};");
            }
        }

        foreach (GradientAccumulation a in graph.Backward.SelectMany(b => b.Accumulations))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Id(a.Gradient)} -> {Id(a.Target)} [style=dashed, color=\"#7f8c8d\", label=\"grad +=\", constraint=false];");
        }

        text.AppendLine("}");
        return text.ToString();
    }

    private static void WriteTape(StringBuilder text, string id, string title, Tape tape, string fill)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"  subgraph cluster_{id} {{");
        text.AppendLine(CultureInfo.InvariantCulture, $"    label={Quote(title)}; style=filled; fillcolor=\"{fill}\"; color=\"#95a5a6\";");
        int fusion = 0;
        for (int i = 0; i < tape.Steps.Count; i++)
        {
            FusedRange? range = tape.Fusions.FirstOrDefault(f => f.Start == i) is { Count: > 0 } f ? f : null;
            if (range is { } r)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    subgraph cluster_{id}_fused_{fusion++} {{");
                text.AppendLine("      label=\"fused\"; style=\"dashed,filled\"; fillcolor=\"#ffffff\"; color=\"#2c3e50\";");
                for (int j = r.Start; j < r.End; j++)
                {
                    text.Append("  ").AppendLine(Node(tape.Steps[j]));
                }

                text.AppendLine("    }");
                i = r.End - 1;
                continue;
            }

            text.AppendLine(Node(tape.Steps[i]));
        }

        text.AppendLine("  }");
    }

    private static string Node(Value step) =>
        $"    {Id(step)} [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", label={Quote($"{step.Name}\n{step.Op!.Name} {step.Type}{Source(step)}")}];";

    private static string Source(Value v) => v.Source is null ? string.Empty : $"\n{v.Source}";

    private static string Id(Value v) => string.Create(CultureInfo.InvariantCulture, $"v{v.Id}");

    private static string Quote(string label) => "\"" + label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
