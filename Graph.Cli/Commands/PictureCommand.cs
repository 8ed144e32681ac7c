using System.CommandLine;
using Graph.Core;
using Graph.Serialization;

namespace Graph.Cli.Commands;

/// <summary>
/// The two pictures of a .graph file: <c>graph dot FILE [-o out.dot]</c> writes the graph as Graphviz dot
/// (<see cref="CompiledGraph.ToDot"/>), to standard output without <c>-o</c>; <c>graph plan FILE -o plan.svg</c> draws
/// its memory plan as an SVG timeline (<see cref="MemoryPlan.ToSvg"/>). A damaged file prints why and exits with 1.
/// </summary>
internal static class PictureCommand
{
    /// <summary><c>graph dot</c>.</summary>
    public static Command CreateDot(TextWriter output, TextWriter error) =>
        Create("dot", "Write a .graph file's graph as Graphviz dot: tapes as clusters, fused runs boxed, in-place edges marked.", required: false, output, error, g => g.ToDot());

    /// <summary><c>graph plan</c>.</summary>
    public static Command CreatePlan(TextWriter output, TextWriter error) =>
        Create("plan", "Draw a .graph file's memory plan as an SVG timeline: steps across, arena offsets down, a rectangle per buffer.", required: true, output, error, g => g.Memory.ToSvg());

    /// <summary>Writes <paramref name="picture"/> of <paramref name="file"/> to <paramref name="destination"/> (or <paramref name="output"/>); returns the exit code.</summary>
    public static int Run(FileInfo file, FileInfo? destination, Func<CompiledGraph, string> picture, TextWriter output, TextWriter error)
    {
        if (GraphFileArgument.Problem(file) is string problem)
        {
            error.WriteLine(problem);
            return 1;
        }

        string text;
        try
        {
            text = picture(GraphFile.Load(file.FullName));
        }
        catch (Exception e) when (e is GraphFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{file.Name}: {e.Message}");
            return 1;
        }

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

    private static Command Create(string name, string description, bool required, TextWriter output, TextWriter error, Func<CompiledGraph, string> picture)
    {
        var file = new Argument<FileInfo>("file") { Description = "The .graph file." };
        var destination = new Option<FileInfo?>("--output", "-o") { Description = required ? "The file to write." : "The file to write [default: standard output].", Required = required };
        var command = new Command(name, description);
        command.Arguments.Add(file);
        command.Options.Add(destination);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(destination), picture, output, error));
        return command;
    }
}
