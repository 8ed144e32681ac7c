using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Cli.Training;

/// <summary>Where a resumed run starts: the training session saved after epoch <paramref name="EpochsDone"/>.</summary>
/// <param name="SessionFile">The .graph file of the training session (parameters, optimizer state, forward-pass count).</param>
/// <param name="EpochsDone">The epochs the run had finished when the session was saved.</param>
internal sealed record ResumePoint(string SessionFile, int EpochsDone)
{
    /// <summary>Loads the training session, running with <paramref name="options"/>, after checking it has the input the run feeds.</summary>
    /// <exception cref="TrainOptionsException">The session has no <paramref name="input"/> of shape <paramref name="shape"/>: it is not this run's.</exception>
    /// <exception cref="GraphFormatException">The file is damaged.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public Session Load(SessionOptions options, string input, Shape shape)
    {
        Session session = GraphFile.LoadSession(SessionFile, options);
        Value? found = session.Graph.Graph.Values.FirstOrDefault(v => v.Name == input && v.Kind == ValueKind.Input);
        if (found is null || found.Shape != shape)
        {
            session.Dispose();
            string actual = found is null ? "no such input" : $"{input} {found.Shape}";
            throw new TrainOptionsException($"--resume: {SessionFile} is not a training session of this run: it should have the input {input} {shape}, and has {actual}.");
        }

        return session;
    }
}
