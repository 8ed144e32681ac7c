using System.CommandLine;
using Graph.Compiler;
using Graph.Core;
using Graph.Onnx;
using Graph.Serialization;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph import model.onnx [-o model.graph]</c>: imports an ONNX model, compiles its outputs and saves the
/// compiled graph as a .graph file (next to the model, with the extension changed, without <c>-o</c>). A model that
/// cannot be imported prints why (the node, op type and opset) and exits with 1.
/// </summary>
internal static class ImportCommand
{
    /// <summary>The command, reporting to <paramref name="output"/> and errors to <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx model (opset 17 or older)." };
        var destination = new Option<FileInfo?>("--output", "-o") { Description = "The .graph file to write [default: the model's name with .graph]." };
        var command = new Command("import", "Convert an ONNX model to a .graph file: its inputs and outputs keep their names, its initializers become parameters.");
        command.Arguments.Add(model);
        command.Options.Add(destination);
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(destination), output, error));
        return command;
    }

    /// <summary>Converts <paramref name="model"/> to <paramref name="destination"/>; returns the exit code.</summary>
    public static int Run(FileInfo model, FileInfo? destination, TextWriter output, TextWriter error)
    {
        string target = destination?.FullName ?? Path.ChangeExtension(model.FullName, ".graph");
        CompiledGraph compiled;
        try
        {
            var builder = new GraphBuilder();
            OnnxModel imported = Graph.Onnx.Onnx.Import(builder, model.FullName);
            compiled = GraphCompiler.Compile(builder.Build(), new CompileOptions { Outputs = imported.Outputs });
        }
        catch (Exception e) when (e is OnnxFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{model.Name}: {e.Message}");
            return 1;
        }

        try
        {
            GraphFile.Save(compiled, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{Path.GetFileName(target)}: {e.Message}");
            return 1;
        }

        ComputeGraph graph = compiled.Graph;
        output.WriteLine($"{model.Name} → {Path.GetFileName(target)}: inputs {string.Join(", ", graph.Inputs.Select(v => v.ToString()))}; outputs {string.Join(", ", compiled.Outputs.Select(v => v.ToString()))}; {graph.Parameters.Count()} parameters, {compiled.Forward.Steps.Count} forward steps.");
        return 0;
    }
}
