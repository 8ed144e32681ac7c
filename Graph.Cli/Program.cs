using Graph.Cli.Commands;

// Wiring only: the commands live in Commands/ (GraphCommand lists them) and build themselves.
var output = CliConsole.Create(Console.Out, isTerminal: !Console.IsOutputRedirected, noColor: CliConsole.NoColorRequested(Environment.GetEnvironmentVariable("NO_COLOR")));
return GraphCommand.Run(args, output, Console.Out, Console.Error);
