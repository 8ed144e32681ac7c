using Graph.Core;

namespace Graph.Tests.Operations;

/// <summary>Misuse of issue 10's elementwise ops and reductions fails where it is built, naming the op, the value, the shapes and the fix.</summary>
[TestClass]
public sealed class ElementwiseMisuseTests
{
    [TestMethod]
    public void Where_WithAFloatCondition_NamesTheDTypeAndTheFix()
    {
        var g = new GraphBuilder();
        Value condition = g.Input("mask", new Shape(3, 4));
        Value a = g.Input("a", new Shape(3, 4));
        var e = Assert.ThrowsExactly<GraphBuildException>(() => Ops.Where(condition, a, a));
        StringAssert.Contains(e.Message, "where");
        StringAssert.Contains(e.Message, "'mask'");
        StringAssert.Contains(e.Message, "[3, 4]");
        StringAssert.Contains(e.Message, "bool condition");
        StringAssert.Contains(e.Message, "Cast(DType.Bool)");
    }

    [TestMethod]
    public void Where_WithOperandsOfTwoDTypes_SaysToCast()
    {
        var g = new GraphBuilder();
        Value condition = g.Input("c", new Shape(4), DType.Bool);
        var e = Assert.ThrowsExactly<GraphBuildException>(() => Ops.Where(condition, g.Input("a", new Shape(4)), g.Input("b", new Shape(4), DType.Float64)));
        StringAssert.Contains(e.Message, "where");
        StringAssert.Contains(e.Message, "float64");
        StringAssert.Contains(e.Message, "cast");
    }

    [TestMethod]
    public void Where_WithShapesThatDoNotBroadcast_NamesTheShapes()
    {
        var g = new GraphBuilder();
        Value condition = g.Input("c", new Shape(3), DType.Bool);
        var e = Assert.ThrowsExactly<GraphBuildException>(() => Ops.Where(condition, g.Input("a", new Shape(4)), g.Input("b", new Shape(4))));
        StringAssert.Contains(e.Message, "where");
        StringAssert.Contains(e.Message, "[3]");
        StringAssert.Contains(e.Message, "[4]");
    }

    [TestMethod]
    public void ArgMax_OnAnAxisOutOfRange_NamesTheAxisAndRank()
    {
        var g = new GraphBuilder();
        Value x = g.Input("scores", new Shape(3, 4));
        var e = Assert.ThrowsExactly<GraphBuildException>(() => x.ArgMax(2));
        StringAssert.Contains(e.Message, "argmax");
        StringAssert.Contains(e.Message, "'scores'");
        StringAssert.Contains(e.Message, "2");
    }

    [TestMethod]
    public void Clamp_WithMinAboveMax_SaysToSwapThem()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3));
        var e = Assert.ThrowsExactly<GraphBuildException>(() => x.Clamp(1, -1));
        StringAssert.Contains(e.Message, "clamp");
        StringAssert.Contains(e.Message, "'x'");
        StringAssert.Contains(e.Message, "[2, 3]");
        StringAssert.Contains(e.Message, "swap");
    }

    [TestMethod]
    public void Clamp_WithNoBound_SaysOneIsNeeded()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3));
        var e = Assert.ThrowsExactly<GraphBuildException>(() => x.Clamp(null, null));
        StringAssert.Contains(e.Message, "clamp");
        StringAssert.Contains(e.Message, "'x'");
        StringAssert.Contains(e.Message, "at least one of min and max");
    }

    [TestMethod]
    public void Softplus_WithBetaZero_NamesBeta()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(5));
        var e = Assert.ThrowsExactly<GraphBuildException>(() => x.Softplus(beta: 0));
        StringAssert.Contains(e.Message, "softplus");
        StringAssert.Contains(e.Message, "beta");
        StringAssert.Contains(e.Message, "[5]");
    }

    [TestMethod]
    public void Maximum_OfTwoDTypes_SaysToCast()
    {
        var g = new GraphBuilder();
        var e = Assert.ThrowsExactly<GraphBuildException>(() => g.Input("a", new Shape(2)).Maximum(g.Input("b", new Shape(2), DType.Float64)));
        StringAssert.Contains(e.Message, "maximum");
        StringAssert.Contains(e.Message, "'b'");
        StringAssert.Contains(e.Message, ".Cast(");
    }

    [TestMethod]
    public void Pow_WithAnInt64Exponent_SaysItNeedsFloatingPoint()
    {
        var g = new GraphBuilder();
        var e = Assert.ThrowsExactly<GraphBuildException>(() => g.Input("a", new Shape(2), DType.Int64).Pow(g.Input("b", new Shape(2), DType.Int64)));
        StringAssert.Contains(e.Message, "pow_tensor");
        StringAssert.Contains(e.Message, "'a'");
    }
}
