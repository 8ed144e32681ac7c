using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// Files of format version 1.2 as the hand-written MessagePack codec wrote them, committed before the codec was
/// replaced by the MessagePack package: saving the same models today must give the same bytes, both in memory and
/// streamed to a file. The models are fixed here (not derived from the op registry), so new ops do not change them.
/// Never regenerate these files to make the test pass: a difference is a change of the format.
/// </summary>
[TestClass]
public sealed class ResaveGoldenTests
{
    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Serialization", "GraphFile", "Golden", "resave", name);

    /// <summary>The golden file names and the bytes a save of their model gives now.</summary>
    public static IEnumerable<object[]> Cases()
    {
        yield return ["q.graph"];
        yield return ["mlp.graph"];
        yield return ["chain.graph"];
        yield return ["q-sgd-session.graph"];
        yield return ["mlp-adam-session.graph"];
    }

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
        GraphFileContents contents = GraphFileReader.Read(expected);
        byte[] again;
        if (contents.Session is null)
        {
            again = GraphFileWriter.ToBytes(contents.Graph, session: null);
        }
        else
        {
            using Session session = GraphFile.CreateSession(contents);
            again = GraphFileWriter.ToBytes(session.Graph, session);
        }

        CollectionAssert.AreEqual(expected, again, name);
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
