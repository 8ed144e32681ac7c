using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// Golden files of three kinds. <c>Golden/1.2</c>: files of format 1.2 as the hand-written MessagePack codec wrote
/// them, committed before the codec was replaced by the MessagePack package; each must load and save again to the
/// same content bytes (only the envelope's version differs), so the package encodes exactly as the codec did.
/// <c>Golden/1.3</c>: the same models in format 1.3, which added each value's source location; they too must load
/// and save again to the same content. <c>Golden/1.4</c>: the same models in format 1.4 (which allows dynamic
/// dimensions, so a static graph's content is 1.3's), checked the same way. <c>Golden/resave</c>: the same models in
/// format 1.5 (which adds batch norm's <c>update_running_stats</c>; these models have no batch norm, so their content
/// is still 1.3's); saving the models today must give those bytes, in memory and streamed. The models are fixed here (not derived from the op
/// registry), so new ops do not change them; their locations are lines of GraphFileModels.cs, so moving a model's
/// lines there changes them (write the files again then, with the reason in the commit). Never regenerate them to
/// make the test pass otherwise: a difference is a change of the format.
/// </summary>
[TestClass]
public sealed class ResaveGoldenTests
{
    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Serialization", "GraphFile", "Golden", "resave", name);

    private static string Former(string version, string name) => Path.Combine(AppContext.BaseDirectory, "Serialization", "GraphFile", "Golden", version, name);

    /// <summary>The golden file names and the bytes a save of their model gives now.</summary>
    public static IEnumerable<object[]> Cases()
    {
        yield return ["q.graph"];
        yield return ["mlp.graph"];
        yield return ["chain.graph"];
        yield return ["q-sgd-session.graph"];
        yield return ["mlp-adam-session.graph"];
    }

    /// <summary>The golden files of former minor versions, each with its version.</summary>
    public static IEnumerable<object[]> FormerCases() =>
        Cases().SelectMany(c => new[] { new object[] { "1.2", c[0] }, new object[] { "1.3", c[0] }, new object[] { "1.4", c[0] } });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void InMemorySave_GivesTheGoldenBytes(string name)
    {
        byte[] expected = File.ReadAllBytes(Golden(name));
        CollectionAssert.AreEqual(expected, Save(name, streamed: false), name);
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void StreamedSave_GivesTheGoldenBytes(string name)
    {
        byte[] expected = File.ReadAllBytes(Golden(name));
        CollectionAssert.AreEqual(expected, Save(name, streamed: true), name);
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void GoldenFile_LoadsAndSavesAgainToTheSameBytes(string name)
    {
        byte[] expected = File.ReadAllBytes(Golden(name));
        CollectionAssert.AreEqual(expected, Resave(expected), name);
    }

    [TestMethod]
    [DynamicData(nameof(FormerCases))]
    public void FormerVersionFile_LoadsAndSavesAgainToTheSameContent(string version, string name)
    {
        byte[] old = File.ReadAllBytes(Former(version, name));
        byte[] again = Resave(old);
        (Version oldVersion, int oldStart, int oldLength) = GraphEnvelope.Read(old);
        (Version newVersion, int newStart, int newLength) = GraphEnvelope.Read(again);
        Assert.AreEqual(Version.Parse(version), oldVersion);
        Assert.AreEqual(new Version(GraphFormat.MajorVersion, GraphFormat.MinorVersion), newVersion);
        CollectionAssert.AreEqual(old.AsSpan(oldStart, oldLength).ToArray(), again.AsSpan(newStart, newLength).ToArray(), name);
    }

    private static byte[] Resave(byte[] file)
    {
        GraphFileContents contents = GraphFileReader.Read(file);
        if (contents.Session is null)
        {
            return GraphFileWriter.ToBytes(contents.Graph, session: null);
        }

        using Session session = GraphFile.CreateSession(contents);
        return GraphFileWriter.ToBytes(session.Graph, session);
    }

    private static byte[] Save(string name, bool streamed)
    {
        (CompiledGraph graph, Session? session) = Model(name);
        using (session)
        {
            if (!streamed)
            {
                return GraphFileWriter.ToBytes(graph, session);
            }

            using var stream = new MemoryStream();
            GraphFileWriter.WriteTo(stream, graph, session);
            return stream.ToArray();
        }
    }

    private static (CompiledGraph Graph, Session? Session) Model(string name)
    {
        switch (name)
        {
            case "q.graph":
                return (GraphFileModels.Q(), null);
            case "mlp.graph":
                return (GraphFileModels.Mlp(), null);
            case "chain.graph":
                return (GraphFileModels.All().Single(m => m.Name == "elementwise chain of 100 ops").Graph, null);
            case "q-sgd-session.graph":
            {
                var session = new Session(GraphFileModels.Q());
                var optimizer = new Sgd(session, lr: 0.01, momentum: 0.9);
                Value q = session.Graph.Find("Q");
                session.Forward();
                session.Backward(q, Tensor.Ones(q.Shape));
                optimizer.Step();
                return (session.Graph, session);
            }

            default:
            {
                var session = new Session(GraphFileModels.Mlp());
                var optimizer = new Adam(session, lr: 1e-2);
                (Tensor x, Tensor y) = GraphFileModels.MlpBatch();
                Value loss = session.Graph.Find("loss");
                for (int step = 0; step < 2; step++)
                {
                    session.SetInput(session.Graph.Find("x"), x);
                    session.SetInput(session.Graph.Find("y"), y);
                    session.Forward();
                    session.Backward(loss, Tensor.Ones(loss.Shape));
                    optimizer.Step();
                }

                return (session.Graph, session);
            }
        }
    }
}
