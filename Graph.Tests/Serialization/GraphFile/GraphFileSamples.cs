using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>Small valid files for the hostile-input tests: every section present, optimizer state included.</summary>
internal static class GraphFileSamples
{
    /// <summary>A session of Q = 3a³ − b² after one Sgd step with momentum: values, tapes, plan and optimizer slots.</summary>
    public static byte[] QSession()
    {
        using var session = new Session(GraphFileModels.Q());
        var optimizer = new Sgd(session, lr: 0.01, momentum: 0.9);
        Value q = session.Graph.Find("Q");
        session.Forward();
        session.Backward(q, Tensor.Ones(q.Shape));
        optimizer.Step();
        return GraphFileWriter.ToBytes(session.Graph, session);
    }

    /// <summary>Reads <paramref name="file"/> as LoadSession does, session included.</summary>
    /// <exception cref="GraphFormatException">The file is rejected.</exception>
    public static void TryLoadOrThrow(byte[] file)
    {
        using Session session = GraphFile.CreateSession(GraphFileReader.Read(file));
    }

    /// <summary>
    /// Reads <paramref name="file"/> as LoadSession does, then feeds every input, runs Forward and every backward
    /// plan: whatever the loader accepts must run. Returns false if the file is rejected.
    /// </summary>
    /// <remarks>Any exception other than <see cref="GraphFormatException"/> from loading escapes, and so does any exception from running.</remarks>
    public static bool TryLoadAndRun(byte[] file) => LoadAndRun(file) != LoadOutcome.Rejected;

    /// <summary>
    /// As <see cref="TryLoadAndRun"/>, but a run may also stop at a kernel's check of the data (a class index out of
    /// range in a constant the mutation changed): the documented run-time error, an InvalidOperationException that
    /// names the op and the node. Any other exception from running escapes.
    /// </summary>
    public static LoadOutcome LoadAndRun(byte[] file)
    {
        Session session;
        try
        {
            session = GraphFile.CreateSession(GraphFileReader.Read(file));
        }
        catch (GraphFormatException e)
        {
            Assert.IsTrue(e.Offset >= 0 && e.Offset <= file.Length, $"offset {e.Offset} lies outside the {file.Length}-byte file: {e.Message}");
            return LoadOutcome.Rejected;
        }

        using (session)
        {
            try
            {
                Run(session);
            }
            catch (InvalidOperationException e) when (NamesANode(session, e))
            {
                return LoadOutcome.RefusedData;
            }
        }

        return LoadOutcome.Ran;
    }

    // Kernel.Failure's form: "<op> '<node>': <reason>".
    private static bool NamesANode(Session session, InvalidOperationException e) =>
        session.Graph.Graph.Values.Any(v => v.Op is not null && e.Message.StartsWith($"{v.Op.Name} '{v.Name}': ", StringComparison.Ordinal));

    /// <summary>Feeds every input a fixed tensor, runs Forward, then Backward of every root seeded with ones.</summary>
    public static void Run(Session session)
    {
        foreach (Value input in session.Graph.Graph.Inputs)
        {
            session.SetInput(input, GraphRun.Sample(input));
        }

        session.Forward();
        foreach (BackwardPlan plan in session.Graph.Backward)
        {
            session.Backward(plan.Root, Tensor.Ones(plan.Root.Shape, plan.Root.DType));
        }
    }

    /// <summary>Reads <paramref name="file"/> as LoadSession does, session included; returns false if it is rejected.</summary>
    /// <remarks>Any exception other than <see cref="GraphFormatException"/> escapes, and fails the calling test.</remarks>
    public static bool TryLoad(byte[] file)
    {
        try
        {
            TryLoadOrThrow(file);
            return true;
        }
        catch (GraphFormatException e)
        {
            Assert.IsTrue(e.Offset >= 0 && e.Offset <= file.Length, $"offset {e.Offset} lies outside the {file.Length}-byte file: {e.Message}");
            return false;
        }
    }
}

/// <summary>What became of a file given to <see cref="GraphFileSamples.LoadAndRun"/>.</summary>
internal enum LoadOutcome
{
    /// <summary>The loader refused it with GraphFormatException.</summary>
    Rejected,

    /// <summary>It loaded, and Forward and every Backward ran.</summary>
    Ran,

    /// <summary>It loaded, and a kernel refused the data it was given, naming its node.</summary>
    RefusedData,
}
