using System.CommandLine;
using System.Reflection;
using Graph.Cli.Commands;

namespace Graph.Tests.Cli;

/// <summary>The <c>graph</c> command itself: <c>--version</c>, numbers given wrong, and a command that does not exist.</summary>
[TestClass]
public sealed class GraphCommandTests
{
    [TestMethod]
    public void Version_PrintsGraphsInformationalVersion()
    {
        (int code, string output, string error) = Run("--version");

        string expected = typeof(GraphCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(expected, output.Trim());
    }

    [TestMethod]
    [DataRow("abc", "is not a whole number")]
    [DataRow("1.5", "is not a whole number")]
    [DataRow("99999999999", "is too large for a whole number (from -2147483648 to 2147483647)")]
    public void EveryWholeNumberOption_SaysWhatIsWrongInWords(string value, string expected)
    {
        RootCommand root = Root();
        (Command Command, Option Option)[] options = NumericOptions(root, typeof(int), typeof(int?)).ToArray();
        Assert.IsGreaterThanOrEqualTo(5, options.Length, "train's --epochs, --batch-size, --seed, --threads and --steps-per-epoch at least");
        foreach ((Command command, Option option) in options)
        {
            AssertSingleError(root, command, option, value, $"{option.Name}: '{value}' {expected}");
        }
    }

    [TestMethod]
    public void EveryNumberOption_SaysWhatIsWrongInWords()
    {
        RootCommand root = Root();
        (Command Command, Option Option)[] options = NumericOptions(root, typeof(double), typeof(double?)).ToArray();
        Assert.IsNotEmpty(options);
        foreach ((Command command, Option option) in options)
        {
            AssertSingleError(root, command, option, "fast", $"{option.Name}: 'fast' is not a number");
        }
    }

    [TestMethod]
    public void NumberOption_TakesAValue()
    {
        ParseResult parse = Root().Parse(["train", "--epochs", "7", "--lr", "2.5e-3"]);

        Assert.IsEmpty(parse.Errors);
        Assert.AreEqual(7, parse.GetValue<int?>("--epochs"));
        Assert.AreEqual(2.5e-3, parse.GetValue<double?>("--lr"));
    }

    [TestMethod]
    public void UnknownCommand_ListsTheCommands_AndExitsWithOne()
    {
        (int code, string output, string error) = Run("trian", "--epochs", "1");

        Assert.AreEqual(1, code);
        Assert.AreEqual(string.Empty, output);
        string commands = string.Join(", ", Root().Subcommands.Select(c => c.Name).Order(StringComparer.Ordinal));
        StringAssert.Contains(commands, "inspect");
        Assert.AreEqual($"graph: 'trian' is not a command. Did you mean 'train'? The commands are: {commands} ('graph COMMAND --help' says what each does).", error.Trim());
    }

    [TestMethod]
    public void UnknownCommand_FarFromEveryCommand_HasNoSuggestion()
    {
        (int code, _, string error) = Run("xyzzy");

        Assert.AreEqual(1, code);
        StringAssert.StartsWith(error, "graph: 'xyzzy' is not a command. The commands are: ");
    }

    [TestMethod]
    [DataRow("inspect")]
    [DataRow("dot")]
    [DataRow("plan", "-o", "plan.svg")]
    [DataRow("bench")]
    public void EveryFileCommand_OnAFolder_SaysItIsAFolder(string command, params string[] options)
    {
        string folder = Path.GetTempPath().TrimEnd('/');

        (int code, _, string error) = Run([command, folder, .. options]);

        Assert.AreEqual(1, code);
        StringAssert.EndsWith(error.Trim(), $"'{folder}' is a folder, not a .graph file");
    }

    private static void AssertSingleError(RootCommand root, Command command, Option option, string value, string expected)
    {
        string[] arguments = command.Arguments.Count == 0 ? [] : ["model.graph"];
        // The command's other required options (plan's --output) get a value, so the one error is the option's own.
        string[] required = command.Options.Where(o => o.Required && o != option).SelectMany(o => new[] { o.Name, "out" }).ToArray();
        ParseResult parse = root.Parse([command.Name, .. arguments, .. required, option.Name, value]);

        string[] messages = parse.Errors.Select(e => e.Message).ToArray();
        Assert.HasCount(1, messages, $"{command.Name} {option.Name}: {string.Join(" | ", messages)}");
        Assert.AreEqual(expected, messages[0], $"{command.Name} {option.Name}");
        Assert.DoesNotContain("System.", messages[0]);
    }

    /// <summary>Every option of every command whose value is one of <paramref name="types"/>.</summary>
    private static IEnumerable<(Command Command, Option Option)> NumericOptions(RootCommand root, params Type[] types) =>
        root.Subcommands.SelectMany(c => c.Options.Where(o => types.Contains(o.ValueType)).Select(o => (c, o)));

    private static RootCommand Root() => GraphCommand.Create(CliConsole.Create(TextWriter.Null, isTerminal: false, noColor: false), TextWriter.Null, TextWriter.Null);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = GraphCommand.Run(args, CliConsole.Create(output, isTerminal: false, noColor: false), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
