using Graph.Cli.Commands;
using Spectre.Console;

namespace Graph.Tests.Cli;

/// <summary>The console of every command: plain and unwrapped outside a terminal, and without colours under NO_COLOR.</summary>
[TestClass]
public sealed class CliConsoleTests
{
    [TestMethod]
    public void NotATerminal_NoEscapeCodes_NoWrappingAt80Columns()
    {
        var output = new StringWriter();
        IAnsiConsole console = CliConsole.Create(output, isTerminal: false, noColor: false);
        string line = string.Join(' ', Enumerable.Repeat("word", 60));

        console.MarkupLine("[bold red]alarm[/]");
        console.WriteLine(line);
        console.Write(new Table().AddColumn("name").AddRow(line));

        Assert.DoesNotContain("\u001b", output.ToString());
        StringAssert.Contains(output.ToString(), line);
        Assert.IsFalse(console.Profile.Capabilities.Ansi);
        Assert.AreEqual(ColorSystem.NoColors, console.Profile.Capabilities.ColorSystem);
    }

    [TestMethod]
    [DataRow(false, ColorSystemSupport.Detect)]
    [DataRow(true, ColorSystemSupport.NoColors)]
    public void Terminal_DetectsColours_UnlessNoColorIsSet(bool noColor, ColorSystemSupport expected)
    {
        AnsiConsoleSettings settings = CliConsole.Settings(TextWriter.Null, isTerminal: true, noColor);

        Assert.AreEqual(expected, settings.ColorSystem);
        Assert.AreEqual(AnsiSupport.Detect, settings.Ansi, "bold and the progress bar's redraws are not colours");
    }

    [TestMethod]
    [DataRow(null, false)]
    [DataRow("", false)]
    [DataRow("1", true)]
    [DataRow("0", true)]
    public void NoColor_IsRequestedByAnyValueButEmpty(string? value, bool expected)
    {
        Assert.AreEqual(expected, CliConsole.NoColorRequested(value));
    }
}
