using System.Text;

namespace Graph.Tests.Cli;

/// <summary>
/// A writer that throws as soon as what was written contains <see cref="Marker"/>: a run that dies at a chosen
/// line of its log, as a killed process would (the write of that line never returns).
/// </summary>
internal sealed class CrashingWriter(string marker) : StringWriter
{
    public string Marker { get; } = marker;

    public override void Write(char value)
    {
        base.Write(value);
        CrashIfMarked();
    }

    public override void Write(string? value)
    {
        base.Write(value);
        CrashIfMarked();
    }

    public override void Write(char[] buffer, int index, int count)
    {
        base.Write(buffer, index, count);
        CrashIfMarked();
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        base.Write(buffer);
        CrashIfMarked();
    }

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        CrashIfMarked();
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        base.WriteLine(buffer);
        CrashIfMarked();
    }

    private void CrashIfMarked()
    {
        StringBuilder written = GetStringBuilder();
        if (written.ToString().Contains(Marker, StringComparison.Ordinal))
        {
            throw new SimulatedCrashException($"the run died while writing '{Marker}'");
        }
    }
}

/// <summary>What <see cref="CrashingWriter"/> throws.</summary>
internal sealed class SimulatedCrashException(string message) : Exception(message);
