using System.Diagnostics;

namespace Graph.Tests.Packaging;

/// <summary>Runs the <c>dotnet</c> command line and returns its output, failing the test with that output when it fails.</summary>
internal static class DotnetCommand
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    public static string Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No build server or node is left running after the test, and nothing is sent anywhere.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["UseSharedCompilation"] = "false";

        string command = "dotnet " + string.Join(' ', arguments);
        using Process process = Process.Start(start) ?? throw new AssertFailedException($"'{command}' did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{command}' in {workingDirectory} did not finish within {s_timeout.TotalMinutes} minutes.\n{output.Result}{error.Result}");
        }
        Assert.AreEqual(0, process.ExitCode, $"'{command}' in {workingDirectory} failed:\n{output.Result}{error.Result}");
        return output.Result;
    }
}
