using System.CommandLine;
using Graph.Cli.Commands;
using Spectre.Console;

// Wiring only: each command lives in Commands/ and builds itself.
var root = new RootCommand("graph: train models and inspect Graph's .graph files.");
root.Subcommands.Add(InspectCommand.Create(AnsiConsole.Console, Console.Error));
root.Subcommands.Add(TrainCommand.Create(AnsiConsole.Console, Console.Error));
root.Subcommands.Add(PictureCommand.CreateDot(Console.Out, Console.Error));
root.Subcommands.Add(PictureCommand.CreatePlan(Console.Out, Console.Error));
root.Subcommands.Add(ImportCommand.Create(Console.Out, Console.Error));
return root.Parse(args).Invoke();
