using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Memory;

/// <summary>
/// A value read after the tapes (an output) must never be written over in place, not even by the timeline's last
/// step, where its lifetime ends like that of a value the step is the last to read.
/// </summary>
[TestClass]
public sealed class InPlaceOutputTests
{
    [TestMethod]
    public void LastStep_DoesNotWriteOverAnOutputItReads()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2));
        Value first = (x * 3f).Named("first");
        Value second = (x * 5f).Named("second");
        Value both = (second + first).Named("both");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [first, second, both] });

        using var session = new Session(compiled);
        session.SetInput(x, Tensor.FromArray([1f, 2f]));
        session.Forward();
        CollectionAssert.AreEqual(new[] { 3f, 6f }, session.Output(first).ToArray<float>());
        CollectionAssert.AreEqual(new[] { 5f, 10f }, session.Output(second).ToArray<float>());
        CollectionAssert.AreEqual(new[] { 8f, 16f }, session.Output(both).ToArray<float>());
    }
}
