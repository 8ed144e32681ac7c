using Graph.Core;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>Every compiled graph of the suite, saved and loaded, runs to bit-identical outputs and gradients.</summary>
[TestClass]
public sealed class GraphFileRoundTripTests
{
    public static IEnumerable<object[]> Graphs => GraphFileModels.All().Select(g => new object[] { g });

    public static string DisplayName(System.Reflection.MethodInfo method, object[] data) => data[0].ToString()!;

    [TestMethod]
    [DynamicData(nameof(Graphs), DynamicDataDisplayName = nameof(DisplayName))]
    public void SavedAndLoaded_RunsBitwiseIdentically(NamedGraph model)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.graph");
        GraphFile.Save(model.Graph, path);
        CompiledGraph loaded = GraphFile.Load(path);

        Assert.AreEqual(model.Graph.ToString(), loaded.ToString(), "the tapes and the memory plan");
        Assert.AreEqual(model.Graph.Memory.Timeline(), loaded.Memory.Timeline(), "the memory timeline");
        Assert.AreEqual(model.Graph.Memory.UnplannedBytes, loaded.Memory.UnplannedBytes);
        Assert.IsNull(MemoryPlanVerifier.FindDefect(loaded));
        GraphRun.AssertBitwiseEqual(GraphRun.Results(model.Graph), GraphRun.Results(loaded), model.Name);

        // Everything the file says survives loading: saving the loaded graph gives the same bytes.
        CollectionAssert.AreEqual(File.ReadAllBytes(path), GraphFileWriter.ToBytes(loaded, session: null), "saving the loaded graph again");
    }

    [TestMethod]
    public void LoadedValues_KeepNamesKindsFlagsAndGradFns()
    {
        CompiledGraph original = GraphFileModels.Mlp();
        CompiledGraph loaded = GraphFileReader.Read(GraphFileWriter.ToBytes(original, session: null)).Graph;

        Assert.HasCount(original.Graph.Values.Count, loaded.Graph.Values);
        foreach (Value v in original.Graph.Values)
        {
            Value w = loaded.Find(v.Name);
            Assert.AreEqual((v.Id, v.Kind, v.Type, v.RequiresGrad, v.GradFn, v.Op?.Name, v.Attributes.ToString()), (w.Id, w.Kind, w.Type, w.RequiresGrad, w.GradFn, w.Op?.Name, w.Attributes.ToString()), v.Name);
            CollectionAssert.AreEqual(v.Inputs.Select(i => i.Id).ToArray(), w.Inputs.Select(i => i.Id).ToArray(), v.Name);
        }

        CollectionAssert.AreEqual(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }, loaded.Graph.Parameters.Select(p => p.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "logits", "loss" }, loaded.Outputs.Select(o => o.Name).ToArray());
    }

    [TestMethod]
    public void SavingTwice_GivesIdenticalBytes()
    {
        CollectionAssert.AreEqual(GraphFileWriter.ToBytes(GraphFileModels.Mlp(), null), GraphFileWriter.ToBytes(GraphFileModels.Mlp(), null));
    }

    [TestMethod]
    public void Crc32C_MatchesTheStandardCheckValue()
    {
        Assert.AreEqual(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.AreEqual(0u, Crc32C.Compute([]));
    }
}
