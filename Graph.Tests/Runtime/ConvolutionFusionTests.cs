using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime;

/// <summary>
/// conv2d → batch_norm (evaluation) → relu runs as one kernel when nothing else reads the intermediates, with the
/// same bits as the three steps; a convolution whose output is read elsewhere, or a batch norm in training mode, stays
/// as it is.
/// </summary>
[TestClass]
public sealed class ConvolutionFusionTests
{
    [TestMethod]
    [DataRow(1, DisplayName = "batch 1: the product writes the output, the epilogue follows")]
    [DataRow(3, DisplayName = "batch 3: the epilogue runs as the product moves to the output")]
    public void ResNet18Evaluation_FusedAndUnfused_GiveTheSameBits(int batch)
    {
        var g = new GraphBuilder();
        var model = new ResNet18(new ModuleBuilder(g, seed: 0, training: false), numClasses: 10);
        Value x = g.Input("x", new Shape(batch, 3, 32, 32));
        Value y = model.Forward(x);
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] });
        Tensor images = TestModels.Uniform(new Shape(batch, 3, 32, 32), 1, seed: 7);

        (byte[] fused, SessionProfile fusedProfile) = Run(compiled, x, y, images, fuse: true);
        (byte[] unfused, SessionProfile unfusedProfile) = Run(compiled, x, y, images, fuse: false);

        CollectionAssert.AreEqual(unfused, fused);
        Assert.AreEqual(20, Count(fusedProfile, "conv2d+batch_norm") + Count(fusedProfile, "conv2d+batch_norm+relu"), "every convolution is followed by a batch norm");
        Assert.AreEqual(0, Count(fusedProfile, "batch_norm"));
        Assert.AreEqual(20, Count(unfusedProfile, "batch_norm"));
    }

    [TestMethod]
    public void ConvolutionOutputReadElsewhere_StaysUnfused()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3, 8, 8));
        Value conv = Ops.Conv2d(x, g.Parameter("w", TestModels.Uniform(new Shape(4, 3, 3, 3), 1, seed: 1)), null, padding: 1);
        Value bn = BatchNorm(g, conv, training: false);
        Value y = bn.Relu() + conv;
        SessionProfile profile = Run(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }), x, y, TestModels.Uniform(x.Shape, 1, seed: 2), fuse: true).Profile;

        Assert.AreEqual(1, Count(profile, "conv2d"));
        Assert.AreEqual(1, Count(profile, "batch_norm"));
    }

    [TestMethod]
    public void TrainingModeBatchNorm_StaysUnfused()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3, 8, 8));
        Value conv = Ops.Conv2d(x, g.Parameter("w", TestModels.Uniform(new Shape(4, 3, 3, 3), 1, seed: 1)), null, padding: 1);
        Value y = BatchNorm(g, conv, training: true).Relu();
        SessionProfile profile = Run(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }), x, y, TestModels.Uniform(x.Shape, 1, seed: 2), fuse: true).Profile;

        Assert.AreEqual(1, Count(profile, "batch_norm"));
        Assert.AreEqual(0, Count(profile, "conv2d+batch_norm+relu"));
    }

    [TestMethod]
    public void BatchNormParametersSetAfterTheSessionIsMade_AreTheOnesUsed()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3, 8, 8));
        Value conv = Ops.Conv2d(x, g.Parameter("w", TestModels.Uniform(new Shape(4, 3, 3, 3), 1, seed: 1)), null, padding: 1);
        Value y = BatchNorm(g, conv, training: false).Relu();
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] });
        var outputs = new List<byte[]>();
        foreach (bool fuse in new[] { true, false })
        {
            using var session = new Session(compiled, new SessionOptions { Threads = 1, FuseEpilogues = fuse });
            session.SetInput(x, TestModels.Uniform(x.Shape, 1, seed: 2));
            session.Forward();
            Tensor variance = TestModels.Uniform(new Shape(4), 1, seed: 3);
            variance.AsSpan<float>().Fill(2.5f);
            variance.CopyTo(session.ParameterValue(session.Graph.Find("bn.running_var")));
            session.Forward();
            outputs.Add(session.Output(y).ToArray<float>().SelectMany(BitConverter.GetBytes).ToArray());
        }

        CollectionAssert.AreEqual(outputs[1], outputs[0]);
    }

    private static Value BatchNorm(GraphBuilder g, Value x, bool training)
    {
        int channels = x.Shape[1];
        return Ops.BatchNorm2d(
            x,
            g.Parameter("bn.weight", TestModels.Uniform(new Shape(channels), 1, seed: 4)),
            g.Parameter("bn.bias", TestModels.Uniform(new Shape(channels), 1, seed: 5)),
            g.Parameter("bn.running_mean", TestModels.Uniform(new Shape(channels), 1, seed: 6), requiresGrad: false),
            g.Parameter("bn.running_var", Tensor.Ones(new Shape(channels)), requiresGrad: false),
            training);
    }

    private static (byte[] Output, SessionProfile Profile) Run(CompiledGraph compiled, Value x, Value y, Tensor input, bool fuse)
    {
        using var session = new Session(compiled, new SessionOptions { Threads = 2, Profile = true, FuseEpilogues = fuse });
        session.SetInput(x, input);
        session.Forward();
        return (session.Output(y).ToArray<float>().SelectMany(BitConverter.GetBytes).ToArray(), session.Profile());
    }

    private static int Count(SessionProfile profile, string op) => profile.Entries.Where(e => e.Op == op).Sum(e => e.Steps > 0 ? 1 : 0);
}
