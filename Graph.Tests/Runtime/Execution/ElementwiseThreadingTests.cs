using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Execution;

/// <summary>
/// Elementwise kernels, fused runs and gradient accumulation split large tensors into fixed parts: every element is
/// computed exactly once, as one thread computes it, on any thread count.
/// </summary>
[TestClass]
public sealed class ElementwiseThreadingTests
{
    // Five parts and a ragged last one.
    private const int Length = (5 * 65536) + 123;

    [TestMethod]
    public void FusedRun_SplitIntoParts_ComputesEveryElementAsOneThreadDoes()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(Length));
        Value y = g.Input("y", new Shape(Length));
        Value r = ((x * 2.0) + 3.0).Relu() * y; // never 0 before y, so a skipped element shows
        Tensor xs = TestModels.Uniform(new Shape(Length), 1, seed: 1);
        Tensor ys = TestModels.Uniform(new Shape(Length), 1, seed: 2);

        byte[][] bits = ThreadCounts.AssertSameBits(
            ThreadCounts.Compile(g.Build(), [], [r]),
            s =>
            {
                s.SetInput(x, xs);
                s.SetInput(y, ys);
                s.Forward();
            },
            s => [s.Output(r)]);

        float[] a = xs.ToArray<float>();
        float[] b = ys.ToArray<float>();
        float[] expected = a.Select((v, i) => MathF.Max((v * 2f) + 3f, 0f) * b[i]).ToArray();
        CollectionAssert.AreEqual(expected, FromBytes(bits[0]));
    }

    [TestMethod]
    [DataRow(700, 301, 1, 301)]
    [DataRow(3, 200_003, 3, 1)]
    [DataRow(1, Length, 1, 1)]
    public void BroadcastBinary_SplitIntoParts_ComputesEveryElementAsOneThreadDoes(int rows, int columns, int bRows, int bColumns)
    {
        var g = new GraphBuilder();
        Value a = g.Input("a", new Shape(rows, columns));
        Value b = g.Input("b", new Shape(bRows, bColumns));
        Value sum = a - b;
        Tensor at = TestModels.Uniform(new Shape(rows, columns), 1, seed: 3);
        Tensor bt = TestModels.Uniform(new Shape(bRows, bColumns), 1, seed: 4);

        byte[][] bits = ThreadCounts.AssertSameBits(
            ThreadCounts.Compile(g.Build(), [], [sum]),
            s =>
            {
                s.SetInput(a, at);
                s.SetInput(b, bt);
                s.Forward();
            },
            s => [s.Output(sum)]);

        float[] av = at.ToArray<float>();
        float[] bv = bt.ToArray<float>();
        float[] expected = av.Select((v, i) => v - bv[(bRows == 1 ? 0 : i / columns * bColumns) + (bColumns == 1 ? 0 : i % columns)]).ToArray();
        CollectionAssert.AreEqual(expected, FromBytes(bits[0]));
    }

    [TestMethod]
    public void ChainBackward_TwiceAfterOneForward_AccumulatesTheSameBitsOnEveryThreadCount()
    {
        (GraphBuilder g, Value x, Value loss) = TestModels.ElementwiseChain(24, Length);
        ComputeGraph graph = g.Build();
        Value w = graph.Parameters.Single();
        Tensor xs = TestModels.Uniform(new Shape(Length), 1, seed: 5);

        byte[][] twice = ThreadCounts.AssertSameBits(
            ThreadCounts.Compile(graph, [loss]),
            s =>
            {
                s.SetInput(x, xs);
                s.Forward();
                s.Backward();
                s.Backward();
            },
            s => [s.Grad(w)!]);

        byte[][] once = ThreadCounts.AssertSameBits(
            ThreadCounts.Compile(graph, [loss]),
            s =>
            {
                s.SetInput(x, xs);
                s.Forward();
                s.Backward();
            },
            s => [s.Grad(w)!]);

        float[] expected = FromBytes(once[0]).Select(v => v + v).ToArray();
        CollectionAssert.AreEqual(expected, FromBytes(twice[0]));
    }

    private static float[] FromBytes(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
