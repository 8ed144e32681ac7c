using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork;

/// <summary>
/// The index ops, layer norm and the new losses beyond their gradient checks and PyTorch references: build-time errors
/// that name the op, the value and the fix; out-of-range indices at run time; the same bits for every thread count.
/// </summary>
[TestClass]
public sealed class IndexAndLayerNormTests
{
    [TestMethod]
    public void BadOperands_FailWhenBuilt_NamingTheOpAndTheShapes()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3, 4), DType.Float64);
        Value floatIndices = g.Input("f", new Shape(2), DType.Float64);
        Value wrongShape = g.Input("w", new Shape(4, 2), DType.Int64);
        Value labels = g.Input("labels", new Shape(3), DType.Int64);

        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => Ops.IndexSelect(x, 0, floatIndices)).Message, "must be int64");
        string gather = Assert.ThrowsExactly<GraphBuildException>(() => Ops.Gather(x, 1, wrongShape)).Message;
        StringAssert.Contains(gather, "gather");
        StringAssert.Contains(gather, "[4, 2]");
        StringAssert.Contains(gather, "at most its size");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => Ops.LayerNorm(x, [3], null, null)).Message, "must be the last axes of the input 'x'");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => Ops.LayerNorm(x, [4], g.Input("weight", new Shape(3), DType.Float64), null)).Message, "normalized shape [4]");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => Ops.CrossEntropy(x.Reshape(3, 2, 2), labels)).Message, "must be [3, 2]");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => Ops.CrossEntropy(x, labels, labelSmoothing: 1.5)).Message, "label smoothing");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => x.Unsqueeze(3)).Message, "use an axis in [-3, 2]");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => Ops.Split(x, [1, 1], 1)).Message, "add up to 4");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => Ops.Stack([x, x.Reshape(4, 3)], 0)).Message, "one shape");
    }

    [TestMethod]
    public void ShapeMethods_HaveTorchsShapes()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 1, 3), DType.Float32);
        Assert.AreEqual(new Shape(2, 1, 3, 1), x.Unsqueeze(-1).Shape);
        Assert.AreEqual(new Shape(1, 2, 1, 3), x.Unsqueeze(0).Shape);
        Assert.AreEqual(new Shape(2, 3), x.Squeeze(1).Shape);
        Assert.AreSame(x, x.Squeeze(0), "squeeze of an axis whose size is not 1 changes nothing, as in torch");
        Assert.AreEqual(new Shape(3, 1, 2), x.Transpose(0, -1).Shape);
        Assert.AreEqual(new Shape(2, 2, 1, 3), Ops.Stack([x, x], 1).Shape);
        Assert.AreEqual("2, 1, 2|2, 1, 1", string.Join("|", Ops.Split(x.Reshape(3, 1, 2).Transpose(0, 2), 2, 2).Select(v => string.Join(", ", v.Shape.ToArray()))));
        Assert.HasCount(3, Ops.Chunk(g.Input("y", new Shape(5), DType.Float32), 4), "torch.chunk of 5 into 4 gives 3 pieces of 2, 2, 1");
    }

    [TestMethod]
    public void EmbeddingLayerNormAndAttention_BackwardRunsTheirFusedSteps()
    {
        var g = new GraphBuilder();
        Value table = g.Parameter("table", Tensor.Randn(new Shape(10, 8), seed: 1));
        Value weight = g.Parameter("weight", Tensor.Ones(new Shape(8)));
        Value bias = g.Parameter("bias", Tensor.Zeros(new Shape(8)));
        Value tokens = g.Constant(Tensor.FromArray([1L, 2L, 3L, 1L, 9L, 0L], 2, 3));
        Value h = Ops.LayerNorm(Ops.Embedding(tokens, table), [8], weight, bias);
        Value loss = Ops.ScaledDotProductAttention(h, h, h, causal: true).Sum();
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        string[] backward = compiled.Backward.SelectMany(b => b.Tape.Steps).Select(v => v.Op!.Name).ToArray();

        // Rows accumulate by scatter-add (never a one-hot product); layer norm's backward is its two fused passes.
        CollectionAssert.Contains(backward, "index_add");
        CollectionAssert.DoesNotContain(backward, "one_hot");
        Assert.AreEqual(1, backward.Count(op => op == "layer_norm_backward"));
        Assert.AreEqual(1, backward.Count(op => op == "layer_norm_backward_affine"));
        Assert.AreEqual(1, backward.Count(op => op == "attention_weights_backward"));
        CollectionAssert.DoesNotContain(backward, "softmax");
    }

    [TestMethod]
    public void GatherIndexOutOfRange_FailsNamingTheOpAndTheIndex()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.Randn(new Shape(2, 3), seed: 1, DType.Float64));
        Value indices = g.Input("indices", new Shape(2, 2), DType.Int64);
        using Session session = Compile.Session(g, [Ops.Gather(x, 1, indices).Sum()]);
        session.SetInput(indices, Tensor.FromArray([0L, 2L, -1L, 1L], 2, 2));
        string message = Assert.ThrowsExactly<InvalidOperationException>(session.Forward).Message;
        StringAssert.Contains(message, "gather");
        StringAssert.Contains(message, "index -1 at position 2");
    }

    [TestMethod]
    public void ScatterAddsLayerNormAndAttention_GiveTheSameBitsOnOneAndThreeThreads()
    {
        // Large enough that every kernel splits its work: 600 rows of 256, an embedding of 4096 tokens, 2048 attention rows of 256.
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.Randn(new Shape(600, 256), seed: 2));
        Value weight = g.Parameter("weight", Tensor.Randn(new Shape(256), seed: 3));
        Value bias = g.Parameter("bias", Tensor.Randn(new Shape(256), seed: 4));
        Value table = g.Parameter("table", Tensor.Randn(new Shape(50, 64), seed: 5));
        var tokens = new long[4096];
        var columns = new long[600 * 256];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = (i * 7919) % 50;
        }

        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = (i * 31) % 256;
        }

        Value normalized = Ops.LayerNorm(x, [256], weight, bias);
        Value gathered = Ops.Gather(normalized, 1, g.Constant(Tensor.FromArray(columns, 600, 256)));
        Value embedded = Ops.Embedding(g.Constant(Tensor.FromArray(tokens, 64, 64)), table);
        Value q = g.Parameter("q", Tensor.Randn(new Shape(8, 256, 16), seed: 6));
        Value attended = Ops.ScaledDotProductAttention(q, q * 0.5, q, causal: true);
        Value loss = (gathered * gathered).Sum() + (embedded * embedded).Sum() + (attended * attended).Sum();
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        ThreadCounts.AssertSameBits(
            compiled,
            s =>
            {
                s.Forward();
                s.Backward();
            },
            s => [s.Output(loss), s.Grad(x)!, s.Grad(weight)!, s.Grad(bias)!, s.Grad(table)!, s.Grad(q)!]);
    }
}
