using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// The <c>graph</c> command itself: its subcommands, <c>--version</c>, and the errors of a command line that names no
/// command this program has.
/// </summary>
internal static class GraphCommand
{
    /// <summary>The root command, writing to <paramref name="output"/> and <paramref name="plainOutput"/>, reporting errors to <paramref name="error"/>.</summary>
    public static RootCommand Create(IAnsiConsole output, TextWriter plainOutput, TextWriter error)
    {
        var root = new RootCommand("graph: train models and inspect Graph's .graph files.");
        root.Subcommands.Add(InspectCommand.Create(output, error));
        root.Subcommands.Add(TrainCommand.Create(output, error));
        root.Subcommands.Add(PictureCommand.CreateDot(plainOutput, error));
        root.Subcommands.Add(PictureCommand.CreatePlan(plainOutput, error));
        root.Subcommands.Add(BenchCommand.Create(output, error));
        root.Subcommands.Add(ImportCommand.Create(plainOutput, error));

        // The default prints the entry assembly's version: under a test host or another launcher that is not graph's.
        foreach (VersionOption version in root.Options.OfType<VersionOption>())
        {
            version.Action = new PrintVersion();
        }

        return root;
    }

    /// <summary>Runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, IAnsiConsole output, TextWriter plainOutput, TextWriter error)
    {
        RootCommand root = Create(output, plainOutput, error);
        ParseResult parse = root.Parse(args);
        if (UnknownCommand(parse) is string unknown)
        {
            error.WriteLine(UnknownCommandMessage(unknown, root));
            return 1;
        }

        return parse.Invoke(new InvocationConfiguration { Output = plainOutput, Error = error });
    }

    /// <summary>The version this build of graph reports: the assembly's informational version (with the commit it was built from).</summary>
    public static string Version =>
        typeof(GraphCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(GraphCommand).Assembly.GetName().Version!.ToString();

    /// <summary>What <c>graph WORD</c> prints when WORD is not a command: every command there is, and the nearest one.</summary>
    public static string UnknownCommandMessage(string unknown, RootCommand root)
    {
        string[] commands = root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).Order(StringComparer.Ordinal).ToArray();
        string? nearest = commands.MinBy(c => EditDistance(c, unknown));
        string hint = nearest is not null && EditDistance(nearest, unknown) <= 2 ? $" Did you mean '{nearest}'?" : string.Empty;
        return $"graph: '{unknown}' is not a command.{hint} The commands are: {string.Join(", ", commands)} ('graph COMMAND --help' says what each does).";
    }

    // The first word, when it is neither an option nor a command: System.CommandLine would print "Required command was not provided".
    private static string? UnknownCommand(ParseResult parse) =>
        parse.Errors.Count > 0 && parse.CommandResult.Command is RootCommand && parse.UnmatchedTokens.Count > 0 && !parse.UnmatchedTokens[0].StartsWith('-')
            ? parse.UnmatchedTokens[0]
            : null;

    private static int EditDistance(string a, string b)
    {
        int[] previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int[] current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
