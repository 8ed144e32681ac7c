using System.CommandLine;
using System.Globalization;
using Graph.Core;
using Graph.Serialization;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph inspect FILE</c>: what a .graph file holds — its format version, ops, parameters, tapes, memory plan
/// and, for a saved session, its optimizer state. A damaged file prints why and exits with 1.
/// </summary>
internal static class InspectCommand
{
    /// <summary>The command, writing to <paramref name="output"/> and reporting errors to <paramref name="error"/>.</summary>
    public static Command Create(IAnsiConsole output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "The .graph file to describe." };
        var command = new Command("inspect", "Describe a .graph file: version, ops, parameters, tapes, memory plan, optimizer state.");
        command.Arguments.Add(file);
        command.SetAction(parse => Run(parse.GetValue(file)!, output, error));
        return command;
    }

    /// <summary>Describes <paramref name="file"/>; returns the exit code (0, or 1 when the file cannot be read).</summary>
    public static int Run(FileInfo file, IAnsiConsole output, TextWriter error)
    {
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

        CompiledGraph graph = info.Graph;
        string kind = info.IsSession ? "a saved session" : "a compiled graph";
        output.WriteLine($"{file.Name}: .graph format {info.FormatVersion.Major}.{info.FormatVersion.Minor}, {kind}, {graph.Graph.Values.Count} values");
        output.WriteLine();
        output.Write(Ops(graph));
        output.Write(Parameters(graph));
        output.WriteLine();
        output.WriteLine(graph.ToString());
        output.WriteLine();
        output.WriteLine("memory timeline:");
        output.WriteLine(graph.Memory.Timeline());
        if (info.IsSession)
        {
            WriteOptimizerState(info, output);
        }

        return 0;
    }

    private static Table Ops(CompiledGraph graph)
    {
        var table = new Table().Title("ops").AddColumn("op").AddColumn(new TableColumn("count").RightAligned());
        foreach (IGrouping<string, Value> op in graph.Graph.Values.Where(v => v.Op is not null).GroupBy(v => v.Op!.Name).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            table.AddRow(new Text(op.Key), new Text(op.Count().ToString(CultureInfo.InvariantCulture)));
        }

        return table;
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
