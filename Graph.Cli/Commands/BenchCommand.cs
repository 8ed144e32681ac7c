using System.CommandLine;
using System.Globalization;
using Graph.Cli.Benchmarking;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph bench FILE [--repeats N] [--warmup N]</c>: times the forward pass of any .graph file and, when it has
/// gradient roots, the backward pass of each, on inputs it fills itself (<see cref="BenchInputs"/>); prints the
/// median, fastest and slowest repeat and the bytes allocated per step. A file that cannot be read or run prints why
/// and exits with 1.
/// </summary>
internal static class BenchCommand
{
    /// <summary>The repeats timed when <c>--repeats</c> is not given.</summary>
    public const int DefaultRepeats = 20;

    /// <summary>The untimed repeats first when <c>--warmup</c> is not given.</summary>
    public const int DefaultWarmup = 3;

    /// <summary>The command, writing to <paramref name="output"/> and reporting errors to <paramref name="error"/>.</summary>
    public static Command Create(IAnsiConsole output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "The .graph file to time." };
        var repeats = new Option<int>("--repeats") { Description = "Timed steps.", DefaultValueFactory = _ => DefaultRepeats, HelpName = "N" }.WithWholeNumbers();
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first (the first runs touch fresh memory and JIT-compile the kernels).", DefaultValueFactory = _ => DefaultWarmup, HelpName = "N" }.WithWholeNumbers();
        var command = new Command("bench", "Time a .graph file's forward pass (and backward, if it has gradient roots) on inputs it fills itself: median, min, max, bytes allocated per step.");
        command.Arguments.Add(file);
        command.Options.Add(repeats);
        command.Options.Add(warmup);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(repeats), parse.GetValue(warmup), output, error));
        return command;
    }

    /// <summary>Times <paramref name="file"/>; returns the exit code (0, or 1 after printing why to <paramref name="error"/>).</summary>
    public static int Run(FileInfo file, int repeats, int warmup, IAnsiConsole output, TextWriter error)
    {
        string? problem = repeats < 1 ? string.Create(CultureInfo.InvariantCulture, $"--repeats must be at least 1; got {repeats}.")
            : warmup < 0 ? string.Create(CultureInfo.InvariantCulture, $"--warmup must be at least 0; got {warmup}.")
            : GraphFileArgument.Problem(file);
        if (problem is not null)
        {
            error.WriteLine($"graph bench: {problem}");
            return 1;
        }

        try
        {
            using Session session = GraphFile.LoadSession(file.FullName);
            IReadOnlyList<FilledInput> inputs = BenchInputs.Fill(session);
            IReadOnlyList<PassTimings> timings = Time(session, repeats, warmup);
            output.Profile.Out.Writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{file.Name}: inputs {(inputs.Count == 0 ? "none" : string.Join(", ", inputs))}; {warmup} warm-up and {repeats} timed steps, {SessionOptions.Default.Threads} threads"));
            output.Write(Table(timings));
            return 0;
        }
        catch (Exception e) when (e is GraphFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{file.Name}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            // A kernel's own check (an index out of range, an input this command cannot fill): the graph does not run as filled.
            error.WriteLine($"graph bench: {file.Name} does not run on the inputs it was given: {e.Message}");
            return 1;
        }
    }

    /// <summary><paramref name="warmup"/> untimed steps, then <paramref name="repeats"/> timed ones: forward, then each root's backward.</summary>
    private static IReadOnlyList<PassTimings> Time(Session session, int repeats, int warmup)
    {
        IReadOnlyList<Value> roots = session.Graph.GradientRoots;
        Tensor?[] seeds = roots.Select(Seed).ToArray();
        var forward = new PassTimings("forward");
        PassTimings[] backward = roots.Select(r => new PassTimings($"backward of {r.Name}")).ToArray();
        for (int step = 0; step < warmup + repeats; step++)
        {
            bool timed = step >= warmup;
            RunPass(forward, timed, session.Forward);
            for (int r = 0; r < roots.Count; r++)
            {
                // Zeroing is not the backward pass's work: gradients are added into, so each step starts from zero, untimed.
                session.ZeroGrad();
                (Value root, Tensor? seed) = (roots[r], seeds[r]);
                RunPass(backward[r], timed, () => session.Backward(root, seed));
            }
        }

        return [forward, .. backward];
    }

    private static void RunPass(PassTimings timings, bool timed, Action pass)
    {
        if (timed)
        {
            timings.Measure(pass);
        }
        else
        {
            pass();
        }
    }

    /// <summary>A seed of ones for a root that is not a scalar (a scalar root's seed is 1 without one).</summary>
    private static Tensor? Seed(Value root)
    {
        if (root.Shape.ElementCount == 1)
        {
            return null;
        }

        Tensor seed = Tensor.Zeros(root.Shape, root.DType);
        seed.Fill(1);
        return seed;
    }

    private static Table Table(IReadOnlyList<PassTimings> timings)
    {
        var table = new Table()
            .AddColumn("pass")
            .AddColumn(new TableColumn("median").RightAligned())
            .AddColumn(new TableColumn("min").RightAligned())
            .AddColumn(new TableColumn("max").RightAligned())
            .AddColumn(new TableColumn("allocated per step").RightAligned());
        foreach (PassTimings t in timings)
        {
            table.AddRow(
                new Text(t.Pass),
                new Text(PassTimings.Format(t.MedianSeconds)),
                new Text(PassTimings.Format(t.MinSeconds)),
                new Text(PassTimings.Format(t.MaxSeconds)),
                new Text(string.Create(CultureInfo.InvariantCulture, $"{t.AllocatedBytesPerStep:N0} B")));
        }

        return table;
    }
}
