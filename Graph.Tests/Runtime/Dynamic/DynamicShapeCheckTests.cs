using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Runtime.Dynamic;

/// <summary>Dynamic sizes that must agree are checked when the session runs, with the op's usual message.</summary>
[TestClass]
public sealed class DynamicShapeCheckTests
{
    [TestMethod]
    public void Add_OfTwoInputsWithDifferentBatches_ThrowsNamingTheNodeOpAndShapes()
    {
        var g = new GraphBuilder();
        Value a = g.Input("a", new Shape(-1, 3));
        Value b = g.Input("b", new Shape(-1, 3));
        Value sum = (a + b).Named("total");
        Assert.AreEqual(new Shape(-1, 3), sum.Shape);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [sum] }));
        session.SetInput(a, Tensor.Zeros(new Shape(7, 3)));
        session.SetInput(b, Tensor.Zeros(new Shape(5, 3)));

        var e = Assert.ThrowsExactly<InvalidOperationException>(session.Forward);
        StringAssert.Contains(e.Message, "'a' [-1, 3] → [7, 3]");
        StringAssert.Contains(e.Message, "add 'total'");
        StringAssert.Contains(e.Message, "shapes [7, 3] and [5, 3] do not broadcast");
        StringAssert.Contains(e.Message, "Reshape one operand"); // the fix
    }

    [TestMethod]
    public void Add_OfTwoDynamicBatchesWhereOneIsOne_ThrowsInsteadOfBroadcasting()
    {
        var g = new GraphBuilder();
        Value a = g.Input("a", new Shape(-1, 3), requiresGrad: true);
        Value b = g.Input("b", new Shape(-1, 3), requiresGrad: true);
        Value loss = (a + b).Sum();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }));
        session.SetInput(a, Tensor.Zeros(new Shape(7, 3)));
        session.SetInput(b, Tensor.Zeros(new Shape(1, 3)));

        var e = Assert.ThrowsExactly<InvalidOperationException>(session.Forward);
        StringAssert.Contains(e.Message, "share the dynamic dimension -2");
        StringAssert.Contains(e.Message, "give it 7 and 1");
    }

    [TestMethod]
    public void MatMul_WithADynamicInnerDimension_ChecksItWhenTheSessionRuns()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 4));
        Value y = g.Input("y", new Shape(-1, 5));
        Value product = x.MatMul(y).Named("product");
        Assert.AreEqual(new Shape(2, 5), product.Shape);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [product] }));
        session.SetInput(x, Tensor.Ones(new Shape(2, 4)));
        session.SetInput(y, Tensor.Ones(new Shape(4, 5)));
        session.Forward();
        CollectionAssert.AreEqual(Enumerable.Repeat(4f, 10).ToArray(), session.Output(product).ToArray<float>());

        session.SetInput(y, Tensor.Ones(new Shape(3, 5)));
        var e = Assert.ThrowsExactly<InvalidOperationException>(session.Forward);
        StringAssert.Contains(e.Message, "matmul 'product'");
        StringAssert.Contains(e.Message, "inner dimensions differ: [2, 4] has 4 columns but [3, 5] has 3 rows");
    }

    [TestMethod]
    public void SetInput_WithAFixedDimensionThatDiffers_Throws()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(-1, 3));
        Value y = x.Relu();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));

        var e = Assert.ThrowsExactly<ArgumentException>(() => session.SetInput(x, Tensor.Zeros(new Shape(7, 4))));
        StringAssert.Contains(e.Message, "float32[-1, 3] (-1 is a dynamic dimension: any size)");
    }

    [TestMethod]
    public void Convolution_OfADynamicHeight_IsRefusedAtBuildTime()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(-1, 3, -1, 8));
        Value w = g.Parameter("w", Tensor.Zeros(new Shape(4, 3, 3, 3)));

        var e = Assert.ThrowsExactly<GraphBuildException>(() => Ops.Conv2d(x, w, null));
        StringAssert.Contains(e.Message, "has a dynamic height; only its batch dimension may be -1");
    }
}
