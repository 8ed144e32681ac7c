using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Memory;

/// <summary>With poisoning on, every dead intermediate reads as NaN, and live ones are untouched.</summary>
[TestClass]
public sealed class PoisoningTests
{
    [TestMethod]
    public void AfterForwardAndBackward_DeadStoragesHoldNaN_AndResultsAreUnchanged()
    {
        (GraphBuilder g, Value x, Value loss) = TestModels.ElementwiseChain(30, 64);
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        Tensor input = Tensor.Rand(new Shape(64), seed: 5);
        using var plain = new Session(compiled, new SessionOptions { PoisonDeadBuffers = false });
        using var poisoned = new Session(compiled, new SessionOptions { PoisonDeadBuffers = true });
        foreach (Session s in new[] { plain, poisoned })
        {
            s.SetInput(x, input);
            s.Forward();
            s.Backward();
        }

        Assert.AreEqual(plain.Output(loss).Item(), poisoned.Output(loss).Item());
        CollectionAssert.AreEqual(plain.Grad(compiled.Find("w"))!.ToArray<float>(), poisoned.Grad(compiled.Find("w"))!.ToArray<float>());

        int end = compiled.Memory.TimelineLength - 1;
        // Storages that die before the end and whose bytes no later value reuses must read as NaN.
        IReadOnlyList<BufferAssignment> all = compiled.Memory.Buffers;
        BufferAssignment[] dead = all
            .GroupBy(b => b.Storage)
            .Select(s => s.First() with { Last = s.Max(b => b.Last) })
            .Where(s => s.Last < end && !all.Any(b => b.First > s.Last && b.OverlapsInMemory(s)))
            .ToArray();
        Assert.IsNotEmpty(dead);
        foreach (BufferAssignment b in dead)
        {
            Span<byte> bytes = poisoned.Arena.Slice((int)b.Offset, (int)b.Bytes);
            Assert.IsTrue(bytes.IndexOfAnyExcept((byte)0xFF) < 0, $"'{b.Value.Name}' died at step {b.Last} but is not poisoned");
        }
    }
}
