using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// The console every command writes to. On a terminal Spectre.Console detects colours, ANSI and the window's width;
/// anywhere else (a pipe, a file, a CI log) there are no escape codes and no wrapping at Spectre's default of 80
/// columns, so what a script reads is the plain text. <c>NO_COLOR</c> (https://no-color.org) turns colours off everywhere.
/// </summary>
internal static class CliConsole
{
    /// <summary>The width a console that is not a terminal lays out to: wide enough that no line of ours wraps.</summary>
    public const int PipeWidth = 4096;

    /// <summary>A console writing to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="isTerminal">The writer is an interactive terminal (not redirected).</param>
    /// <param name="noColor">The user asked for no colours (<see cref="NoColorRequested"/>).</param>
    public static IAnsiConsole Create(TextWriter writer, bool isTerminal, bool noColor)
    {
        IAnsiConsole console = AnsiConsole.Create(Settings(writer, isTerminal, noColor));
        if (!isTerminal)
        {
            console.Profile.Width = PipeWidth;
        }

        return console;
    }

    /// <summary>The settings <see cref="Create"/> uses.</summary>
    public static AnsiConsoleSettings Settings(TextWriter writer, bool isTerminal, bool noColor) => new()
    {
        Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = isTerminal && !noColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        Out = new AnsiConsoleOutput(writer),
    };

    /// <summary>Whether the <c>NO_COLOR</c> environment variable's value asks for no colours: it is set and not empty.</summary>
    public static bool NoColorRequested(string? value) => !string.IsNullOrEmpty(value);
}
