using Graph.Core.Operations;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>The hostile-input sample really holds every op, so an op added later is fuzzed too.</summary>
[TestClass]
public sealed class EveryOpModelTests
{
    [TestMethod]
    public void TheModel_HoldsEveryOpOfTheRegistry()
    {
        string[] missing = OpRegistry.ByName.Keys.Except(EveryOpModel.OpNames(EveryOpModel.Compile())).Order(StringComparer.Ordinal).ToArray();
        Assert.IsEmpty(missing, $"ops missing from the model: {string.Join(", ", missing)}");
    }
}
