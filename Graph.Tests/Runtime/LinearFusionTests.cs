using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime;

/// <summary>
/// A linear layer's matmul → bias add (→ relu) runs as one kernel, the bias and ReLU applied to each block of the
/// product as the GEMM finishes it, in training as in inference, with the bits of the separate steps; a product read
/// elsewhere, or a batched product, stays as it is.
/// </summary>
[TestClass]
public sealed class LinearFusionTests
{
    // Each shape takes another of the GEMM's paths: the team's one loop of regions (64 rows), whole-depth packing of
    // op(B) (256 rows, k = 1024), per-slice packing (256 rows, k = 2304, 600 wide), the narrow path (5 columns), and
    // the serial product (one thread).
    [TestMethod]
    [DataRow(64, new[] { 784, 300, 200, 10 }, 2, DType.Float32, DisplayName = "MLP at batch 64 on two threads")]
    [DataRow(256, new[] { 1024, 512, 2304, 600, 5 }, 2, DType.Float32, DisplayName = "wide and deep layers, a narrow output, on two threads")]
    [DataRow(16, new[] { 40, 33, 7 }, 1, DType.Float64, DisplayName = "float64 on one thread")]
    public void MlpTraining_FusedAndUnfused_GiveTheSameBits(int batch, int[] widths, int threads, DType dtype)
    {
        (GraphBuilder g, Value x, Value labels, Value loss) = TestModels.Mlp(batch, widths, dtype, seed: 3);
        ComputeGraph graph = g.Build();
        CompiledGraph compiled = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        Value[] parameters = graph.Parameters.ToArray();
        Tensor images = TestModels.Uniform(new Shape(batch, widths[0]), 1, seed: 7, dtype);
        var random = new Random(5);
        Tensor classes = Tensor.FromArray(Enumerable.Range(0, batch).Select(_ => (long)random.Next(widths[^1])).ToArray());

        (byte[] fused, SessionProfile fusedProfile) = Train(compiled, parameters, x, labels, loss, images, classes, threads, fuse: true);
        (byte[] unfused, SessionProfile unfusedProfile) = Train(compiled, parameters, x, labels, loss, images, classes, threads, fuse: false);

        CollectionAssert.AreEqual(unfused, fused, "losses, gradients and parameters after three SGD steps");
        int hidden = widths.Length - 2;
        Assert.AreEqual(hidden, Count(fusedProfile, "matmul+add+relu"), "every hidden layer");
        Assert.AreEqual(1, Count(fusedProfile, "matmul+add"), "the output layer");
        Assert.AreEqual(0, Count(fusedProfile, "relu"));
        Assert.AreEqual(0, Count(unfusedProfile, "matmul+add+relu") + Count(unfusedProfile, "matmul+add"));
        Assert.AreEqual(hidden, Count(unfusedProfile, "relu"));
    }

    [TestMethod]
    public void ProductReadElsewhere_StaysUnfused()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(8, 6));
        Value product = x.MatMul(g.Parameter("w", TestModels.Uniform(new Shape(6, 4), 1, seed: 1)));
        Value y = (product + g.Parameter("b", TestModels.Uniform(new Shape(4), 1, seed: 2))).Relu() + product;
        SessionProfile profile = Forward(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }), x);

        Assert.AreEqual(1, Count(profile, "matmul"));
        Assert.AreEqual(0, Count(profile, "matmul+add") + Count(profile, "matmul+add+relu"));
    }

    [TestMethod]
    public void BatchedProduct_StaysUnfused()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3, 8, 6));
        Value y = (x.MatMul(g.Parameter("w", TestModels.Uniform(new Shape(6, 4), 1, seed: 1))) + g.Parameter("b", TestModels.Uniform(new Shape(4), 1, seed: 2))).Relu();
        SessionProfile profile = Forward(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }), x);

        Assert.AreEqual(1, Count(profile, "matmul"));
        Assert.AreEqual(1, Count(profile, "relu"));
    }

    // Three SGD steps; returns every loss, the last gradients and the final parameters as bytes, and the profile.
    private static (byte[] Bytes, SessionProfile Profile) Train(CompiledGraph compiled, Value[] parameters, Value x, Value labels, Value loss, Tensor images, Tensor classes, int threads, bool fuse)
    {
        using var session = new Session(compiled, new SessionOptions { Threads = threads, Profile = true, FuseEpilogues = fuse });
        session.SetInput(x, images);
        session.SetInput(labels, classes);
        var sgd = new Sgd(session, lr: 0.05, momentum: 0.9);
        var bytes = new List<byte>();
        for (int step = 0; step < 3; step++)
        {
            sgd.ZeroGrad();
            session.Forward();
            session.Backward();
            sgd.Step();
            bytes.AddRange(session.Output(loss).Bytes.ToArray());
        }

        foreach (Value parameter in parameters)
        {
            bytes.AddRange(session.Grad(parameter)!.Bytes.ToArray());
            bytes.AddRange(session.ParameterValue(parameter).Bytes.ToArray());
        }

        return (bytes.ToArray(), session.Profile());
    }

    private static SessionProfile Forward(CompiledGraph compiled, Value x)
    {
        using var session = new Session(compiled, new SessionOptions { Threads = 2, Profile = true });
        session.SetInput(x, TestModels.Uniform(x.Shape, 1, seed: 3));
        session.Forward();
        return session.Profile();
    }

    private static int Count(SessionProfile profile, string op) => profile.Entries.Where(e => e.Op == op).Sum(e => e.Steps > 0 ? 1 : 0);
}
