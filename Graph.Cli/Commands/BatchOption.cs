using System.CommandLine;
using System.Globalization;
using Graph.Core;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>--batch N</c> of the commands that show a memory plan (<c>graph plan</c>, <c>graph inspect</c>, <c>graph dot</c>).
/// A model with dynamic (-1) dimensions, as <c>graph train</c> saves it, is planned per concrete size when a session
/// runs it, so the file's own plan has no buffers; the option plans the model at batch N, as a session would
/// (<see cref="CompiledGraph.ForBatch"/>).
/// </summary>
internal static class BatchOption
{
    /// <summary>A new <c>--batch</c> option.</summary>
    public static Option<int?> Create() =>
        new Option<int?>("--batch") { Description = "Plan a model with dynamic (-1) dimensions at this batch size: its memory plan depends on the batch.", HelpName = "N" }.WithWholeNumbers();

    /// <summary>
    /// The graph to show: <paramref name="graph"/> itself without a batch, else its concrete graph at
    /// <paramref name="batch"/>; null, with the reason written to <paramref name="error"/>, when the batch does not apply.
    /// </summary>
    public static CompiledGraph? Apply(CompiledGraph graph, int? batch, string fileName, TextWriter error)
    {
        if (batch is not { } size)
        {
            return graph;
        }

        if (size < 1)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"--batch: the batch size must be 1 or more, not {size}."));
            return null;
        }

        if (!graph.IsDynamic)
        {
            error.WriteLine($"{fileName}: the model has no dynamic dimension, so its plan is fixed and --batch does not apply; leave it out.");
            return null;
        }

        try
        {
            return graph.ForBatch(size);
        }
        catch (Exception e) when (e is InvalidOperationException or GraphBuildException)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{fileName}: at --batch {size}: {e.Message}"));
            return null;
        }
    }

    /// <summary>What is said instead of a dynamic model's memory plan when no <c>--batch</c> was given.</summary>
    public static string PlanDependsOnBatch(CompiledGraph graph, string fileName)
    {
        string inputs = string.Join(", ", graph.Graph.Values.Where(v => v.IsLeaf && v.Shape.IsDynamic).Select(v => $"'{v.Name}' {v.Shape}"));
        return $"{fileName}: the model has dynamic dimensions ({inputs}), so its memory plan depends on the batch size: pass --batch N to plan batch N.";
    }
}
