using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;
using Graph.Runtime;

namespace Graph.Tests.Modules;

/// <summary>The transformer modules' names, modes and misuse (their numbers are checked against PyTorch in TransformerReferenceTests).</summary>
[TestClass]
public sealed class TransformerModulesTests
{
    [TestMethod]
    public void Dropout_IsTheIdentityInEvaluation_AndAtZero_ButDropsWhenTraining()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(4, 256));

        Assert.AreSame(x, new Dropout(new ModuleBuilder(g, training: false), 0.5).Forward(x));
        Assert.AreSame(x, new Dropout(new ModuleBuilder(g, training: true), 0).Forward(x));

        Value dropped = new Dropout(new ModuleBuilder(g, training: true), 0.5).Forward(x);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [dropped] }));
        session.SetInput(x, Tensor.Ones(new Shape(4, 256)));
        session.Forward();
        float[] values = session.Output(dropped).ToArray<float>();
        Assert.IsTrue(values.All(v => v is 0 or 2), "kept elements are scaled by 1 / (1 − p)");
        Assert.IsTrue(values.Count(v => v == 0) is > 384 and < 640, "about half are dropped");
    }

    [TestMethod]
    public void Dropout_RefusesAProbabilityOutsideZeroToOne()
    {
        var nn = new ModuleBuilder(new GraphBuilder());

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Dropout(nn, 1.5));
    }

    [TestMethod]
    public void EncoderLayer_DeclaresTorchsStateDictNames_InTorchsOrder()
    {
        var nn = new ModuleBuilder(new GraphBuilder());

        var layer = new TransformerEncoderLayer(nn, "enc", dModel: 8, nhead: 2, dimFeedforward: 16);

        CollectionAssert.AreEqual(
            new[]
            {
                "enc.self_attn.in_proj_weight", "enc.self_attn.in_proj_bias", "enc.self_attn.out_proj.weight", "enc.self_attn.out_proj.bias",
                "enc.linear1.weight", "enc.linear1.bias", "enc.linear2.weight", "enc.linear2.bias",
                "enc.norm1.weight", "enc.norm1.bias", "enc.norm2.weight", "enc.norm2.bias",
            },
            layer.Parameters().Select(p => p.Name).ToArray());
    }

    [TestMethod]
    public void MultiheadAttention_WithoutBias_HasOnlyTheWeights_AndStartsLikeTorch()
    {
        var nn = new ModuleBuilder(new GraphBuilder());

        var attention = new MultiheadAttention(nn, "attn", embedDim: 12, numHeads: 3, bias: false);

        CollectionAssert.AreEqual(new[] { "attn.in_proj_weight", "attn.out_proj.weight" }, attention.Parameters().Select(p => p.Name).ToArray());
        var withBias = new MultiheadAttention(nn, "biased", embedDim: 12, numHeads: 3);
        Assert.AreEqual(3 * 12, withBias.InProjBias!.Shape[0]);
    }

    [TestMethod]
    public void MultiheadAttention_RefusesAWidthTheHeadsDoNotDivide_AndAWrongInput()
    {
        var g = new GraphBuilder();
        var nn = new ModuleBuilder(g);

        Assert.ThrowsExactly<ArgumentException>(() => new MultiheadAttention(nn, "attn", embedDim: 10, numHeads: 3));
        var attention = new MultiheadAttention(nn, "ok", embedDim: 8, numHeads: 2);
        GraphBuildException e = Assert.ThrowsExactly<GraphBuildException>(() => attention.Forward(g.Input("x", new Shape(2, 5, 6))));
        StringAssert.Contains(e.Message, "must be [batch, length, 8]");
    }

    [TestMethod]
    public void Embedding_DeclaresTorchsWeightName_StartsStandardNormal_AndPicksRows()
    {
        var g = new GraphBuilder();
        var nn = new ModuleBuilder(g, seed: 3);
        Embedding embedding;
        using (nn.Scope("model"))
        {
            embedding = new Embedding(nn, "tok_emb", numEmbeddings: 500, embeddingDim: 8);
        }

        var small = new Embedding(nn, "pos_emb", numEmbeddings: 500, embeddingDim: 8, std: 0.02);
        Value tokens = g.Input("tokens", new Shape(2, 3), DType.Int64);
        Value rows = embedding.Forward(tokens);
        Value smallRows = small.Forward(tokens);

        CollectionAssert.AreEqual(new[] { "model.tok_emb.weight" }, embedding.Parameters().Select(p => p.Name).ToArray());
        Assert.AreEqual(new Shape(500, 8), embedding.Weight.Shape);
        Assert.AreEqual(new Shape(2, 3, 8), rows.Shape);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [rows, smallRows] }));
        double[] initial = session.ParameterValue(embedding.Weight).ToDoubleArray();
        double mean = initial.Average();
        double std = Math.Sqrt(initial.Select(v => (v - mean) * (v - mean)).Average());
        Assert.IsTrue(Math.Abs(mean) < 0.05 && Math.Abs(std - 1) < 0.05, $"N(0, 1) as torch.nn.Embedding: mean {mean}, std {std} over 4000 values");
        double smallStd = Math.Sqrt(session.ParameterValue(small.Weight).ToDoubleArray().Select(v => v * v).Average());
        Assert.IsTrue(Math.Abs(smallStd - 0.02) < 0.001, $"std 0.02: {smallStd}");

        long[] picked = [499, 0, 7, 7, 1, 250];
        session.SetInput(tokens, Tensor.FromArray(picked, 2, 3));
        session.Forward();
        double[] output = session.Output(rows).ToDoubleArray();
        for (int i = 0; i < picked.Length; i++)
        {
            CollectionAssert.AreEqual(initial[(int)(picked[i] * 8)..(int)((picked[i] + 1) * 8)], output[(i * 8)..((i + 1) * 8)], $"row {i} is weight[{picked[i]}]");
        }
    }

    [TestMethod]
    public void LayerNormWithoutAffine_HasNoParameters()
    {
        var nn = new ModuleBuilder(new GraphBuilder());

        var norm = new LayerNorm(nn, "ln", 8, elementwiseAffine: false);

        Assert.IsEmpty(norm.Parameters());
        Assert.IsNull(norm.Weight);
    }
}
