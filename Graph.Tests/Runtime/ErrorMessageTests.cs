using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime;

/// <summary>Each mistake a user can make gets an exception whose message names what is wrong and how to fix it.</summary>
[TestClass]
public sealed class ErrorMessageTests
{
    [TestMethod]
    public void Backward_OfNonScalarRootWithoutSeed_SaysGradCanOnlyBeImplicitForScalars()
    {
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.FromArray([2f, 3f]));
        Value q = (a * 3).Named("Q");
        using Session session = Compile.Session(g, [q]);
        session.Forward();

        var e = Assert.Throws<InvalidOperationException>(() => session.Backward());
        StringAssert.Contains(e.Message, "grad can be implicitly created only for scalar outputs");
        StringAssert.Contains(e.Message, "'Q'");
        StringAssert.Contains(e.Message, "[2]");
    }

    [TestMethod]
    public void Grad_OfIntermediateNotRetained_SaysAddToRetainGrad()
    {
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.FromArray([2f, 3f]));
        Value z = (a * 3).Named("z");
        Value loss = z.Sum();
        using Session session = Compile.Session(g, [loss]);
        session.Forward();
        session.Backward();

        var e = Assert.Throws<InvalidOperationException>(() => session.Grad(z));
        StringAssert.Contains(e.Message, "'z' is not a leaf");
        StringAssert.Contains(e.Message, "RetainGrad");
    }

    [TestMethod]
    public void SetInput_WithWrongShape_NamesBothShapes()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3, 4));
        Value y = x.Sum();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));

        var e = Assert.Throws<ArgumentException>(() => session.SetInput(x, Tensor.Zeros(new Shape(4, 3))));
        StringAssert.Contains(e.Message, "'x'");
        StringAssert.Contains(e.Message, "float32[3, 4]");
        StringAssert.Contains(e.Message, "float32[4, 3]");
    }

    [TestMethod]
    public void SetInput_WithWrongDType_NamesBothDTypes()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2));
        Value y = x.Sum();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));

        var e = Assert.Throws<ArgumentException>(() => session.SetInput(x, Tensor.Zeros(new Shape(2), DType.Float64)));
        StringAssert.Contains(e.Message, "float32[2]");
        StringAssert.Contains(e.Message, "float64[2]");
    }

    [TestMethod]
    public void Forward_WithInputNeverSet_NamesTheInput()
    {
        var g = new GraphBuilder();
        Value x = g.Input("images", new Shape(2));
        Value y = x.Exp();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));

        var e = Assert.Throws<InvalidOperationException>(session.Forward);
        StringAssert.Contains(e.Message, "'images'");
        StringAssert.Contains(e.Message, "SetInput");
    }

    [TestMethod]
    public void Backward_BeforeForward_SaysCallForwardFirst()
    {
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.FromArray([2f, 3f]));
        Value loss = a.Sum().Named("loss");
        using Session session = Compile.Session(g, [loss]);

        var e = Assert.Throws<InvalidOperationException>(() => session.Backward());
        StringAssert.Contains(e.Message, "Call Forward() before Backward(loss)");
    }

    [TestMethod]
    public void BuildingAnOp_WithMismatchedShapes_NamesOpOperandsAndShapes()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3));
        Value w = g.Input("w", new Shape(4));

        var e = Assert.Throws<GraphBuildException>(() => x + w);
        StringAssert.Contains(e.Message, "add");
        // Each operand with the line that built it (Value.Source).
        StringAssert.Contains(e.Message, $"'x' (ErrorMessageTests.cs:{Line(x)}) float32[2, 3]");
        StringAssert.Contains(e.Message, $"'w' (ErrorMessageTests.cs:{Line(w)}) float32[4]");
        StringAssert.Contains(e.Message, "broadcast");

        var m = Assert.Throws<GraphBuildException>(() => x.MatMul(x));
        StringAssert.Contains(m.Message, "matmul");
        StringAssert.Contains(m.Message, "inner dimensions differ");
    }

    [TestMethod]
    public void Find_WithUnknownName_ListsSimilarNames()
    {
        var g = new GraphBuilder();
        Value weight = g.Parameter("fc.weight", Tensor.Zeros(new Shape(2, 2)));
        Value y = weight.Sum();
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] });

        var e = Assert.Throws<KeyNotFoundException>(() => compiled.Find("weight"));
        StringAssert.Contains(e.Message, "'weight'");
        StringAssert.Contains(e.Message, "fc.weight");
    }

    [TestMethod]
    public void Output_OfValueNotRequested_SaysAddToOutputs()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2));
        Value hidden = x.Exp().Named("hidden");
        Value y = hidden.Sum();
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));

        var e = Assert.Throws<ArgumentException>(() => session.Output(hidden));
        StringAssert.Contains(e.Message, "'hidden'");
        StringAssert.Contains(e.Message, "CompileOptions.Outputs");
    }

    [TestMethod]
    public void NamingTwoValuesAlike_Throws()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2));
        var e = Assert.Throws<ArgumentException>(() => x.Exp().Named("x"));
        StringAssert.Contains(e.Message, "'x' is taken");
    }

    [TestMethod]
    public void CrossEntropy_WithTargetOutOfRange_NamesNodeAndIndex()
    {
        var g = new GraphBuilder();
        Value logits = g.Parameter("logits", Tensor.Zeros(new Shape(2, 3)));
        Value targets = g.Input("targets", new Shape(2), DType.Int64);
        Value loss = Ops.CrossEntropy(logits, targets);
        using Session session = Compile.Session(g, [loss]);
        session.SetInput(targets, Tensor.FromArray([0L, 7L]));

        var e = Assert.Throws<InvalidOperationException>(session.Forward);
        StringAssert.Contains(e.Message, "nll_loss");
        StringAssert.Contains(e.Message, "target 7 at position 1");
    }

    [TestMethod]
    public void GradientRoot_ThatNeedsNoGradient_IsRefusedAtCompileTime()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2));
        Value loss = x.Sum().Named("loss");

        var e = Assert.Throws<ArgumentException>(() => GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }));
        StringAssert.Contains(e.Message, "'loss'");
        StringAssert.Contains(e.Message, "does not require a gradient");
    }

    private static string Line(Value v) => v.Source!.Split(':')[1];
}
