using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// A session with dropout and batch normalization, saved after 15 steps and loaded, continues bitwise like one that
/// trained 30 steps straight: dropout's masks depend on the forward-pass count, which files now save (format 1.2).
/// Before, the loaded session restarted the count at 0 and drew the first 15 steps' masks again.
/// </summary>
[TestClass]
public sealed class DropoutResumeTests
{
    private const int Batch = 8;

    [TestMethod]
    public void FifteenStepsSavedLoadedAndFifteenMore_EqualThirtyStraight_Bitwise()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("checkpoint.graph");
        CompiledGraph graph = Model();

        using var straight = new Session(graph);
        Train(straight, new Adam(straight, lr: 0.01), from: 0, steps: 30);

        using (var first = new Session(graph))
        {
            Train(first, new Adam(first, lr: 0.01), from: 0, steps: 15);
            GraphFile.Save(first, path);
        }

        using Session resumed = GraphFile.LoadSession(path);
        Train(resumed, new Adam(resumed, lr: 0.01), from: 15, steps: 15);

        Assert.AreEqual(30L, resumed.ForwardPasses);
        foreach (Value p in straight.Parameters)
        {
            CollectionAssert.AreEqual(
                straight.ParameterValue(p).ToArray<float>(),
                resumed.ParameterValue(resumed.Graph.Find(p.Name)).ToArray<float>(),
                p.Name);
        }

        CollectionAssert.AreEqual(straight.Output(graph.Find("loss")).ToArray<float>(), resumed.Output(resumed.Graph.Find("loss")).ToArray<float>(), "the last loss");
    }

    /// <summary>conv 3×3 → batch norm (training) → ReLU → dropout 0.3 → linear → cross-entropy.</summary>
    private static CompiledGraph Model()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(Batch, 2, 6, 6));
        Value labels = g.Input("labels", new Shape(Batch), DType.Int64);
        Value conv = g.Parameter("conv.weight", TestModels.Uniform(new Shape(4, 2, 3, 3), 0.3, seed: 1));
        Value gamma = g.Parameter("bn.weight", Tensor.Ones(new Shape(4)));
        Value beta = g.Parameter("bn.bias", Tensor.Zeros(new Shape(4)));
        Value mean = g.Parameter("bn.running_mean", Tensor.Zeros(new Shape(4)), requiresGrad: false);
        Value variance = g.Parameter("bn.running_var", Tensor.Ones(new Shape(4)), requiresGrad: false);
        Value fc = g.Parameter("fc.weight", TestModels.Uniform(new Shape(3, 4 * 6 * 6), 0.1, seed: 2));
        Value h = Ops.Conv2d(x, conv, bias: null, padding: 1);
        h = Ops.BatchNorm2d(h, gamma, beta, mean, variance, training: true).Relu();
        h = Ops.Dropout(h, p: 0.3, training: true, seed: 5);
        Value loss = Ops.CrossEntropy(Ops.Linear(h.Flatten(1), fc, bias: null), labels).Named("loss");
        return GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
    }

    /// <summary>Steps <paramref name="from"/> to <paramref name="from"/> + <paramref name="steps"/>, each on its own batch.</summary>
    private static void Train(Session session, Adam optimizer, int from, int steps)
    {
        Value x = session.Graph.Find("x");
        Value labels = session.Graph.Find("labels");
        for (int step = from; step < from + steps; step++)
        {
            optimizer.ZeroGrad();
            session.SetInput(x, Tensor.Randn(x.Shape, seed: 100 + step));
            session.SetInput(labels, Tensor.FromArray(Enumerable.Range(0, Batch).Select(i => (long)((i + step) % 3)).ToArray()));
            session.Forward();
            session.Backward();
            optimizer.Step();
        }
    }
}
