using System.CommandLine;
using Graph.Core;
using Graph.Serialization;

namespace Graph.Cli.Commands;

/// <summary>
/// The two pictures of a .graph file: <c>graph dot FILE [-o out.dot]</c> writes the graph as Graphviz dot
/// (<see cref="CompiledGraph.ToDot"/>), to standard output without <c>-o</c>; <c>graph plan FILE -o plan.svg</c> draws
/// its memory plan as an SVG timeline (<see cref="MemoryPlan.ToSvg"/>). A damaged file prints why and exits with 1.
/// Both take <c>--batch N</c> (<see cref="BatchOption"/>): a model with dynamic dimensions is planned at that batch.
/// Without it, <c>plan</c> says the plan depends on the batch and exits with 1 (there is nothing to draw), and
/// <c>dot</c> draws the graph with a note that fusion and in-place edges, which the plan decides, are not shown.
/// </summary>
internal static class PictureCommand
{
    /// <summary><c>graph dot</c>.</summary>
    public static Command CreateDot(TextWriter output, TextWriter error) =>
        Create("dot", "Write a .graph file's graph as Graphviz dot: tapes as clusters, fused runs boxed, in-place edges marked.", Picture.Dot, output, error);

    /// <summary><c>graph plan</c>.</summary>
    public static Command CreatePlan(TextWriter output, TextWriter error) =>
        Create("plan", "Draw a .graph file's memory plan as an SVG timeline: steps across, arena offsets down, a rectangle per buffer.", Picture.Plan, output, error);

    /// <summary>The two pictures.</summary>
    public enum Picture
    {
        /// <summary>The graph as Graphviz dot.</summary>
        Dot,

        /// <summary>The memory plan as SVG.</summary>
        Plan,
    }

    /// <summary>
    /// Writes <paramref name="picture"/> of <paramref name="file"/>, planned at <paramref name="batch"/> when given, to
    /// <paramref name="destination"/> (or <paramref name="output"/>); returns the exit code.
    /// </summary>
    public static int Run(FileInfo file, FileInfo? destination, int? batch, Picture picture, TextWriter output, TextWriter error)
    {
        if (GraphFileArgument.Problem(file) is string problem)
        {
            error.WriteLine(problem);
            return 1;
        }

        CompiledGraph loaded;
        try
        {
            loaded = GraphFile.Load(file.FullName);
        }
        catch (Exception e) when (e is GraphFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{file.Name}: {e.Message}");
            return 1;
        }

        if (BatchOption.Apply(loaded, batch, file.Name, error) is not { } graph)
        {
            return 1;
        }

        if (graph.IsDynamic && picture == Picture.Plan)
        {
            error.WriteLine(BatchOption.PlanDependsOnBatch(graph, file.Name));
            return 1;
        }

        if (graph.IsDynamic)
        {
            error.WriteLine($"note: {BatchOption.PlanDependsOnBatch(graph, file.Name)} The dot shows no fused runs or in-place edges, which the plan decides.");
        }

        string text = picture == Picture.Plan ? graph.Memory.ToSvg() : graph.ToDot();

        if (destination is null)
        {
            output.Write(text);
            return 0;
        }

        try
        {
            AtomicFile.WriteAllText(destination.FullName, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{destination.Name}: {e.Message}");
            return 1;
        }

        return 0;
    }

    private static Command Create(string name, string description, Picture picture, TextWriter output, TextWriter error)
    {
        bool required = picture == Picture.Plan;
        var file = new Argument<FileInfo>("file") { Description = "The .graph file." };
        Option<int?> batch = BatchOption.Create();
        var destination = new Option<FileInfo?>("--output", "-o") { Description = required ? "The file to write." : "The file to write [default: standard output].", Required = required };
        var command = new Command(name, description);
        command.Arguments.Add(file);
        command.Options.Add(destination);
        command.Options.Add(batch);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(destination), parse.GetValue(batch), picture, output, error));
        return command;
    }
}
