using Graph.Core.Operations;
using Graph.Runtime.Kernels;

namespace Graph.Tests.Operations;

/// <summary>The op table and the kernel table agree.</summary>
[TestClass]
public sealed class KernelCoverageTests
{
    [TestMethod]
    public void EveryOp_HasAKernel()
    {
        string[] missing = OpRegistry.ByName.Keys.Except(KernelRegistry.OpNames).Order(StringComparer.Ordinal).ToArray();
        Assert.IsEmpty(missing, $"Register a kernel in KernelRegistry for: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public void EveryKernel_BelongsToAnOp()
    {
        string[] orphans = KernelRegistry.OpNames.Except(OpRegistry.ByName.Keys).Order(StringComparer.Ordinal).ToArray();
        Assert.IsEmpty(orphans, $"Kernels without an op: {string.Join(", ", orphans)}");
    }
}
