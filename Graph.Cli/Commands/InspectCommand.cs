using System.CommandLine;
using System.Globalization;
using Graph.Core;
using Graph.Serialization;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph inspect FILE</c>: what a .graph file holds — its format version, ops, parameters, tapes, memory plan
/// and, for a saved session, its optimizer state. A damaged file prints why and exits with 1. A model with dynamic
/// dimensions is described at <c>--batch N</c> when given (<see cref="BatchOption"/>: tapes, fusion and memory plan of
/// that batch); without it, the memory timeline says that the plan depends on the batch.
/// </summary>
internal static class InspectCommand
{
    /// <summary>The command, writing to <paramref name="output"/> and reporting errors to <paramref name="error"/>.</summary>
    public static Command Create(IAnsiConsole output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "The .graph file to describe." };
        Option<int?> batch = BatchOption.Create();
        var command = new Command("inspect", "Describe a .graph file: version, ops, parameters, tapes, memory plan, optimizer state.");
        command.Arguments.Add(file);
        command.Options.Add(batch);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(batch), output, error));
        return command;
    }

    /// <summary>Describes <paramref name="file"/>, planned at <paramref name="batch"/> when given; returns the exit code (0, or 1 when the file cannot be read or the batch does not apply).</summary>
    public static int Run(FileInfo file, int? batch, IAnsiConsole output, TextWriter error)
    {
        if (GraphFileArgument.Problem(file) is string problem)
        {
            error.WriteLine($"graph inspect: {problem}");
            return 1;
        }

        GraphFileInfo info;
        try
        {
            info = GraphFile.Inspect(file.FullName);
        }
        catch (Exception e) when (e is GraphFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{file.Name}: {e.Message}");
            return 1;
        }

        if (BatchOption.Apply(info.Graph, batch, file.Name, error) is not { } graph)
        {
            return 1;
        }

        // Text goes to the writer itself, tables through Spectre.Console: neither is wrapped at a console width.
        TextWriter text = output.Profile.Out.Writer;
        string kind = info.IsSession ? "a saved session" : "a compiled graph";
        text.WriteLine($"{file.Name}: .graph format {info.FormatVersion.Major}.{info.FormatVersion.Minor}, {kind}, {graph.Graph.Values.Count} values");
        text.WriteLine();
        output.Write(Ops(graph));
        output.Write(Parameters(graph));
        text.WriteLine();
        text.WriteLine(graph.ToString());
        text.WriteLine();
        text.WriteLine(batch is { } size ? string.Create(CultureInfo.InvariantCulture, $"memory timeline at batch {size}:") : "memory timeline:");
        text.Write(graph.IsDynamic ? $"  {BatchOption.PlanDependsOnBatch(graph, file.Name)}{Environment.NewLine}" : MemoryTimeline(graph.Memory));
        if (info.IsSession)
        {
            WriteOptimizerState(info, output);
        }

        return 0;
    }

    /// <summary>
    /// What the tapes run, per op: the forward tape's steps and the backward tapes'. A value the compiler folded away
    /// (a transpose a matmul reads transposed) is in the graph but on no tape, and is not counted.
    /// </summary>
    private static Table Ops(CompiledGraph graph)
    {
        Dictionary<string, int> forward = CountOps(graph.Forward.Steps);
        Dictionary<string, int> backward = CountOps(graph.Backward.SelectMany(b => b.Tape.Steps));
        var table = new Table().Title("ops on the tapes").AddColumn("op").AddColumn(new TableColumn("forward").RightAligned());
        if (graph.Backward.Count > 0)
        {
            table.AddColumn(new TableColumn("backward").RightAligned());
        }

        foreach (string op in forward.Keys.Union(backward.Keys).OrderByDescending(op => forward.GetValueOrDefault(op) + backward.GetValueOrDefault(op)).ThenBy(op => op, StringComparer.Ordinal))
        {
            var row = new List<Text> { new(op), new(Count(forward, op)) };
            if (graph.Backward.Count > 0)
            {
                row.Add(new Text(Count(backward, op)));
            }

            table.AddRow(row);
        }

        return table;
    }

    private static Dictionary<string, int> CountOps(IEnumerable<Value> steps) =>
        steps.GroupBy(v => v.Op!.Name).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static string Count(Dictionary<string, int> counts, string op) =>
        counts.GetValueOrDefault(op).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The memory plan's timeline, its headline followed, when the arena is larger than the unplanned bytes (tiny
    /// graphs), by why: every buffer's offset and size are rounded up to the alignment.
    /// </summary>
    private static string MemoryTimeline(MemoryPlan memory)
    {
        string timeline = memory.Timeline();
        if (memory.ArenaBytes <= memory.UnplannedBytes)
        {
            return timeline;
        }

        long aligned = memory.Buffers.Sum(b => (b.Bytes + AlignedBuffer.Alignment - 1) / AlignedBuffer.Alignment * AlignedBuffer.Alignment);
        string why = string.Create(
            CultureInfo.InvariantCulture,
            $"  (the arena is larger than the unplanned bytes because every buffer starts at a multiple of {AlignedBuffer.Alignment} bytes, for SIMD loads: rounded up so, the {memory.Buffers.Count} buffers would take {aligned:N0} B unplanned)");
        int headline = timeline.IndexOf('\n', StringComparison.Ordinal) + 1;
        return timeline[..headline] + why + Environment.NewLine + timeline[headline..];
    }

    private static Table Parameters(CompiledGraph graph)
    {
        var table = new Table().Title("parameters").AddColumn("name").AddColumn("shape").AddColumn("dtype").AddColumn("requires_grad");
        foreach (Value p in graph.Graph.Parameters)
        {
            table.AddRow(new Text(p.Name), new Text(p.Shape.ToString()), new Text(p.DType.Name()), new Text(p.RequiresGrad ? "true" : "false"));
        }

        return table;
    }

    private static void WriteOptimizerState(GraphFileInfo info, IAnsiConsole output)
    {
        if (info.OptimizerSlots.Count == 0 && info.OptimizerSteps.Count == 0)
        {
            output.WriteLine("optimizer state: none (no optimizer has stepped)");
            return;
        }

        var table = new Table().Title("optimizer state").AddColumn("parameter").AddColumn("slots").AddColumn(new TableColumn("step").RightAligned());
        IEnumerable<string> parameters = info.OptimizerSlots.Select(s => s.Parameter).Concat(info.OptimizerSteps.Keys).Distinct();
        foreach (string parameter in parameters)
        {
            string slots = string.Join(", ", info.OptimizerSlots.Where(s => s.Parameter == parameter).Select(s => $"{s.Slot} {s.Type}"));
            string step = info.OptimizerSteps.TryGetValue(parameter, out long count) ? count.ToString(CultureInfo.InvariantCulture) : "-";
            table.AddRow(new Text(parameter), new Text(slots), new Text(step));
        }

        output.Write(table);
    }
}
