using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Serialization.Safetensors;

/// <summary>SessionWeights: a session's parameters to and from safetensors files by state_dict name.</summary>
[TestClass]
public sealed class SessionWeightsTests
{
    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("graph-weights-").FullName;
    }

    [TestCleanup]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [TestMethod]
    public void SaveThenLoad_CopiesEveryParameterAndRunningStatistic()
    {
        using Session trained = BlockSession(seed: 1);
        trained.SetInput(trained.Graph.Find("x"), Tensor.Rand(new Shape(2, 4, 8, 8), seed: 3));
        trained.Forward();
        string path = Path.Combine(_directory, "block.safetensors");

        SessionWeights.Save(trained, path);
        using Session fresh = BlockSession(seed: 2);
        WeightLoadResult result = SessionWeights.Load(fresh, path);

        (IReadOnlyDictionary<string, Tensor> file, IReadOnlyDictionary<string, string> metadata) = SafetensorsFile.ReadWithMetadata(path);
        CollectionAssert.AreEquivalent(trained.Parameters.Select(p => p.Name).ToArray(), file.Keys.ToArray());
        Assert.AreEqual("pt", metadata["format"]);
        CollectionAssert.AreEqual(fresh.Parameters.Select(p => p.Name).ToArray(), result.Loaded.ToArray());
        Assert.IsEmpty(result.Missing);
        Assert.IsEmpty(result.Unexpected);
        Assert.IsEmpty(result.Ignored);
        foreach (Value p in trained.Parameters)
        {
            CollectionAssert.AreEqual(trained.ParameterValue(p).ToArray<float>(), fresh.ParameterValue(fresh.Graph.Find(p.Name)).ToArray<float>(), p.Name);
        }

        Assert.AreNotEqual(0f, fresh.ParameterValue(fresh.Graph.Find("bn1.running_mean")).ToArray<float>()[0], "the running statistics saved are the updated ones");
    }

    [TestMethod]
    public void Load_MissingName_ThrowsNamingItAndTheFix_AndCopiesNothing()
    {
        using Session session = BlockSession(seed: 1);
        Dictionary<string, Tensor> weights = WeightsOf(BlockSession(seed: 2));
        weights.Remove("bn1.running_var");
        float before = session.ParameterValue(session.Graph.Find("conv1.weight")).ToArray<float>()[0];

        WeightLoadException e = Assert.ThrowsExactly<WeightLoadException>(() => SessionWeights.Load(session, weights));

        Assert.AreEqual(1, e.Problems.Count, e.Message);
        StringAssert.Contains(e.Message, "'bn1.running_var' float32[8]");
        StringAssert.Contains(e.Message, "has no tensor 'bn1.running_var'");
        StringAssert.Contains(e.Message, "strict: false");
        StringAssert.Contains(e.Message, "nothing was loaded");
        Assert.AreEqual(before, session.ParameterValue(session.Graph.Find("conv1.weight")).ToArray<float>()[0], "a failed load changes nothing");
    }

    [TestMethod]
    public void Load_NotStrict_KeepsMissingParametersAndSkipsUnexpectedTensors()
    {
        using Session session = BlockSession(seed: 1);
        Dictionary<string, Tensor> weights = WeightsOf(BlockSession(seed: 2));
        weights.Remove("bn1.running_var");
        weights["fc.weight"] = Tensor.Zeros(new Shape(3));
        float[] runningVar = session.ParameterValue(session.Graph.Find("bn1.running_var")).ToArray<float>();

        WeightLoadResult result = SessionWeights.Load(session, weights, strict: false);

        CollectionAssert.AreEqual(new[] { "bn1.running_var" }, result.Missing.ToArray());
        CollectionAssert.AreEqual(new[] { "fc.weight" }, result.Unexpected.ToArray());
        CollectionAssert.AreEqual(runningVar, session.ParameterValue(session.Graph.Find("bn1.running_var")).ToArray<float>());
        CollectionAssert.AreEqual(weights["conv1.weight"].ToArray<float>(), session.ParameterValue(session.Graph.Find("conv1.weight")).ToArray<float>());
    }

    [TestMethod]
    public void Load_UnexpectedName_ThrowsNamingItAndTheFix()
    {
        using Session session = BlockSession(seed: 1);
        Dictionary<string, Tensor> weights = WeightsOf(BlockSession(seed: 2));
        weights["fc.weight"] = Tensor.Zeros(new Shape(10, 8));

        WeightLoadException e = Assert.ThrowsExactly<WeightLoadException>(() => SessionWeights.Load(session, weights));

        StringAssert.Contains(e.Message, "'fc.weight' float32[10, 8]");
        StringAssert.Contains(e.Message, "the session has no parameter 'fc.weight'");
        StringAssert.Contains(e.Message, "strict: false");
    }

    [TestMethod]
    public void Load_NamesBehindAPrefix_SuggestsThePrefix()
    {
        using Session session = BlockSession(seed: 1);
        Dictionary<string, Tensor> weights = WeightsOf(BlockSession(seed: 2)).ToDictionary(w => "module." + w.Key, w => w.Value);

        WeightLoadException e = Assert.ThrowsExactly<WeightLoadException>(() => SessionWeights.Load(session, weights));
        StringAssert.Contains(e.Message, "pass prefix: \"module.\"");

        WeightLoadResult result = SessionWeights.Load(session, weights, prefix: "module.");
        Assert.HasCount(session.Parameters.Count, result.Loaded);
    }

    [TestMethod]
    public void Load_ShapeMismatch_ThrowsNamingBothShapesAndTheFix()
    {
        using Session session = BlockSession(seed: 1);
        Dictionary<string, Tensor> weights = WeightsOf(BlockSession(seed: 2));
        weights["conv2.weight"] = Tensor.Zeros(new Shape(8, 8, 1, 1));

        WeightLoadException e = Assert.ThrowsExactly<WeightLoadException>(() => SessionWeights.Load(session, weights, strict: false));

        StringAssert.Contains(e.Message, "'conv2.weight': the tensors given holds float32[8, 8, 1, 1] but the session's parameter 'conv2.weight' is float32[8, 8, 3, 3]");
        StringAssert.Contains(e.Message, "build the model with the sizes they were saved from");
    }

    [TestMethod]
    public void Load_DTypeMismatch_ThrowsNamingBothDTypesAndTheFix()
    {
        using Session session = BlockSession(seed: 1);
        string path = Path.Combine(_directory, "double.safetensors");
        using (Session doubles = BlockSession(seed: 2, DType.Float64))
        {
            SessionWeights.Save(doubles, path);
        }

        WeightLoadException e = Assert.ThrowsExactly<WeightLoadException>(() => SessionWeights.Load(session, path));

        Assert.HasCount(session.Parameters.Count, e.Problems, "every parameter is reported, not just the first");
        StringAssert.Contains(e.Message, $"Cannot load the weights in '{path}'");
        StringAssert.Contains(e.Message, "'bn1.bias': '" + path + "' holds float64[8] but the session's parameter 'bn1.bias' is float32[8]");
        StringAssert.Contains(e.Message, "Build the model in float64 (ModuleBuilder's dtype), or convert the weights to float32");
    }

    [TestMethod]
    public void Load_PyTorchNumBatchesTracked_IsIgnoredForBatchNormsOnly()
    {
        using Session session = BlockSession(seed: 1);
        Dictionary<string, Tensor> weights = WeightsOf(BlockSession(seed: 2));
        weights["bn1.num_batches_tracked"] = Tensor.Scalar(1, DType.Int64);
        weights["downsample.1.num_batches_tracked"] = Tensor.Scalar(1, DType.Int64);

        WeightLoadResult result = SessionWeights.Load(session, weights);
        CollectionAssert.AreEqual(new[] { "bn1.num_batches_tracked", "downsample.1.num_batches_tracked" }, result.Ignored.ToArray());

        weights["conv1.num_batches_tracked"] = Tensor.Scalar(1, DType.Int64);
        WeightLoadException e = Assert.ThrowsExactly<WeightLoadException>(() => SessionWeights.Load(session, weights));
        StringAssert.Contains(e.Message, "'conv1.num_batches_tracked' int64[]");
    }

    [TestMethod]
    public void Load_PyTorchFixtureParameters_IntoABasicBlock()
    {
        using Session session = BlockSession(seed: 1);
        IReadOnlyDictionary<string, Tensor> fixture = SafetensorsFile.Read(PyTorchFixtures.BasicBlock(DType.Float32));

        WeightLoadResult result = SessionWeights.Load(session, PyTorchFixtures.BasicBlock(DType.Float32), strict: false, prefix: "param/");

        CollectionAssert.AreEquivalent(new[] { "bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var", "downsample.1.running_mean", "downsample.1.running_var" }, result.Missing.ToArray(), "named_parameters has no buffers");
        Assert.IsEmpty(result.Unexpected);
        Assert.HasCount(9, result.Loaded);
        foreach (string name in result.Loaded)
        {
            CollectionAssert.AreEqual(fixture[$"param/{name}"].ToArray<float>(), session.ParameterValue(session.Graph.Find(name)).ToArray<float>(), name);
        }

        // The buffers after PyTorch's forward load too, num_batches_tracked aside.
        WeightLoadResult buffers = SessionWeights.Load(session, fixture, strict: false, prefix: "buffer/");
        CollectionAssert.AreEquivalent(result.Missing.ToArray(), buffers.Loaded.ToArray());
        Assert.HasCount(3, buffers.Ignored);
    }

    private static Session BlockSession(int seed, DType dtype = DType.Float32)
    {
        var g = new GraphBuilder();
        var block = new BasicBlock(new ModuleBuilder(g, seed, training: true, dtype), string.Empty, inPlanes: 4, planes: 8, stride: 2);
        Value y = block.Forward(g.Input("x", new Shape(2, 4, 8, 8), dtype)).Named("y");
        return new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));
    }

    private static Dictionary<string, Tensor> WeightsOf(Session session)
    {
        using (session)
        {
            return session.Parameters.ToDictionary(p => p.Name, p => session.ParameterValue(p).Clone());
        }
    }
}
