using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Compiler;

/// <summary>
/// The transpose-folding pass, read off <c>compiled.ToString()</c> with and without simplification: products read
/// transposed operands as they are stored, the transpose of a product becomes the swapped product, and the numbers
/// are those of the graph as built.
/// </summary>
[TestClass]
public sealed class TransposeFoldingTests
{
    [TestMethod]
    public void ALinearLayer_RunsNoTranspose_ForwardOrBackward_AndGivesTheUnfoldedGradients()
    {
        (CompiledGraph folded, Value x, Value w, Value loss) = Linear(simplify: true);
        (CompiledGraph asBuilt, _, _, _) = Linear(simplify: false);

        string before = asBuilt.ToString();
        string after = folded.ToString();
        Assert.AreEqual(2, Lines(before, "= transpose("), before); // wᵀ forward, and the gradient transposed back
        Assert.AreEqual(0, Lines(after, "= transpose("), after);
        Assert.AreEqual(1, Lines(after, "= matmul(x, w) {trans_b=True}"), after);
        StringAssert.Contains(after, "{trans_a=True}", after); // the weight gradient gᵀ·x, not (xᵀ·g)ᵀ

        float[] foldedGrad = GradOf(folded, x, w, loss);
        float[] builtGrad = GradOf(asBuilt, x, w, loss);
        CollectionAssert.AreEqual(builtGrad, foldedGrad);
    }

    [TestMethod]
    public void APermuteOfTheLastTwoAxes_OfABatch_IsReadAsStored()
    {
        var g = new GraphBuilder();
        Value a = g.Input("a", new Shape(2, 3, 4));
        Value b = g.Input("b", new Shape(2, 5, 4));
        Value y = a.MatMul(b.Permute(0, 2, 1)).Named("y");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] });
        StringAssert.Contains(compiled.ToString(), "y: float32[2, 3, 5] = matmul(a, b) {trans_b=True}");

        float[] av = Enumerable.Range(0, 24).Select(i => (i % 7) - 3f).ToArray();
        float[] bv = Enumerable.Range(0, 40).Select(i => (i % 5) - 2f).ToArray();
        using var session = new Session(compiled);
        session.SetInput(a, Tensor.FromArray(av, 2, 3, 4));
        session.SetInput(b, Tensor.FromArray(bv, 2, 5, 4));
        session.Forward();
        float[] actual = session.Output(y).ToArray<float>();
        for (int n = 0; n < 2; n++)
        {
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 5; j++)
                {
                    float sum = 0;
                    for (int k = 0; k < 4; k++)
                    {
                        sum += av[(n * 12) + (i * 4) + k] * bv[(n * 20) + (j * 4) + k];
                    }

                    Assert.AreEqual(sum, actual[(n * 15) + (i * 5) + j], $"y[{n},{i},{j}]");
                }
            }
        }
    }

    [TestMethod]
    public void TheTransposeOfAProductAlsoReadElsewhere_StaysATranspose()
    {
        var g = new GraphBuilder();
        Value a = g.Input("a", new Shape(3, 3));
        Value b = g.Input("b", new Shape(3, 3));
        Value product = a.MatMul(b).Named("product");
        Value y = (product.T() + product).Named("y");
        string text = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }).ToString();
        Assert.AreEqual(1, Lines(text, "= matmul("), text); // swapping would compute the product twice
        Assert.AreEqual(1, Lines(text, "= transpose(product)"), text);
    }

    [TestMethod]
    public void ATransposeBuiltUnderNoGrad_StillStopsTheGradient()
    {
        var g = new GraphBuilder();
        Value v = g.Parameter("v", Tensor.Ones(new Shape(2, 3)));
        Value w = g.Parameter("w", Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3));
        Value frozen;
        using (g.NoGrad())
        {
            frozen = w.T();
        }

        Value loss = (v.MatMul(frozen).Sum() + (w * w).Sum()).Named("loss");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        StringAssert.Contains(compiled.ToString(), "matmul(v, w) {trans_b=True}");
        using var session = new Session(compiled);
        session.Forward();
        session.Backward();
        CollectionAssert.AreEqual(new[] { 2f, 4f, 6f, 8f, 10f, 12f }, session.Grad(w)!.ToArray<float>()); // only w·w's 2w
        CollectionAssert.AreEqual(new[] { 5f, 7f, 9f, 5f, 7f, 9f }, session.Grad(v)!.ToArray<float>()); // column sums of w
    }

    private static (CompiledGraph Compiled, Value X, Value W, Value Loss) Linear(bool simplify)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(4, 3));
        Value w = g.Parameter("w", Tensor.FromArray([0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f], 2, 3));
        Value loss = x.MatMul(w.T()).Tanh().Sum().Named("loss");
        return (GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss], Simplify = simplify }), x, w, loss);
    }

    private static float[] GradOf(CompiledGraph compiled, Value x, Value w, Value loss)
    {
        using var session = new Session(compiled);
        session.SetInput(compiled.Find(x.Name), Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (i * 0.37f) - 2f).ToArray(), 4, 3));
        session.Forward();
        session.Backward(compiled.Find(loss.Name));
        return session.Grad(compiled.Find(w.Name))!.ToArray<float>();
    }

    private static int Lines(string text, string part) => text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));
}
