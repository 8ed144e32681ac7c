using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Runtime;

/// <summary>
/// A view that Output returned, kept after its session is disposed, fails on access: the arena goes back to the pool,
/// and the next session of the same graph rents it, so a stale write used to land in that session's values.
/// </summary>
[TestClass]
public sealed class StaleViewTests
{
    [TestMethod]
    public void ViewKeptAfterDispose_ThrowsOnAccess_AndTheNextSessionKeepsItsValues()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(16));
        Value y = (x * 2).Exp().Named("y");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] });
        Tensor input = Tensor.Rand(new Shape(16), seed: 5);

        var first = new Session(compiled);
        first.SetInput(x, input);
        first.Forward();
        Tensor stale = first.Output(y);
        float[] expected = stale.ToArray<float>();
        first.Dispose();

        using var second = new Session(compiled);
        second.SetInput(x, input);
        second.Forward();

        Assert.ThrowsExactly<ObjectDisposedException>(() => stale.AsSpan<float>().Fill(42));
        var e = Assert.ThrowsExactly<ObjectDisposedException>(() => stale.ToArray<float>());
        StringAssert.Contains(e.Message, "session was disposed");
        CollectionAssert.AreEqual(expected, second.Output(y).ToArray<float>());
    }
}
