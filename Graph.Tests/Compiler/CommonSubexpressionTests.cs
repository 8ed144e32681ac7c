using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Compiler;

/// <summary>The compiler's common-subexpression elimination, read off <c>compiled.ToString()</c>, and what it must not merge.</summary>
[TestClass]
public sealed class CommonSubexpressionTests
{
    [TestMethod]
    public void TheSameSubgraphBuiltTwice_IsComputedOnce_ForwardAndBackward()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3));
        Value w = g.Parameter("w", Tensor.FromArray([0.5f, -1f, 2f]));
        Value loss = ((x * w).Tanh() + (x * w).Tanh()).Sum().Named("loss");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        string text = compiled.ToString();

        string forward = Section(text, "forward:", "backward of");
        Assert.AreEqual(1, Lines(forward, "= mul(x, w)"), text);
        Assert.AreEqual(1, Lines(forward, "= tanh("), text);
        StringAssert.Matches(forward, new System.Text.RegularExpressions.Regex(@"= add\((tanh_\d+), \1\)"), text);

        // The two copies' gradients were the same computation too: one tanh backward, not two.
        string backward = Section(text, "backward of loss", "MemoryPlan");
        Assert.AreEqual(1, Lines(backward, "= mul(tanh_"), text);

        using var session = new Session(compiled);
        session.SetInput(x, Tensor.FromArray([1f, 2f, 3f]));
        session.Forward();
        session.Backward();
        float[] expected = [1f, 2f, 3f];
        float[] weights = [0.5f, -1f, 2f];
        float[] grad = session.Grad(w)!.ToArray<float>();
        for (int i = 0; i < 3; i++)
        {
            double t = Math.Tanh(expected[i] * weights[i]);
            Assert.AreEqual(2 * (1 - (t * t)) * expected[i], grad[i], 1e-6);
        }
    }

    [TestMethod]
    public void ValuesThatDifferInGradientFlagOrAttributes_StaySeparate()
    {
        var g = new GraphBuilder();
        Value w = g.Parameter("w", Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2));
        Value tracked = w.Sum([0]);
        Value byRow = w.Sum([1]);
        Value frozen;
        using (g.NoGrad())
        {
            frozen = w.Sum([0]);
        }

        Value loss = (tracked + byRow + frozen).Sum().Named("loss");
        string forward = Section(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }).ToString(), "forward:", "backward of");
        Assert.AreEqual(3, Lines(forward, "= sum(w)"), forward);
    }

    [TestMethod]
    public void AnEliminatedValueAskedForAsAnOutput_IsStillComputed_AndReads()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2));
        Value three = g.Constant(Tensor.Scalar(3), "three");
        Value first = (x * three).Named("first");
        Value second = (x * three).Named("second");
        Value both = (second + first).Named("both");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [first, second, both] });
        using var session = new Session(compiled);
        session.SetInput(x, Tensor.FromArray([1f, 2f]));
        session.Forward();
        CollectionAssert.AreEqual(new[] { 3f, 6f }, session.Output(second).ToArray<float>());
        CollectionAssert.AreEqual(new[] { 6f, 12f }, session.Output(both).ToArray<float>());
        StringAssert.Matches(compiled.ToString(), new System.Text.RegularExpressions.Regex(@"= add\(first, first\)"));
    }

    [TestMethod]
    public void BackwardValuesOfTwoRoots_StaySeparate_SoEachTapeComputesItsOwn()
    {
        // ReLU's gradient masks by (h > 0), which reads forward values only: both roots' backward passes build the same
        // mask, and merging them would put one value on two tapes, which the memory plan cannot place.
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(4, 8));
        Value w = g.Parameter("w", Tensor.Randn(new Shape(8, 8), seed: 1));
        Value h = x.MatMul(w).Relu();
        Value first = (h * h).Sum().Named("first");
        Value second = (h * 3.0).Sum().Named("second");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [first, second] });

        Value[] shared = compiled.Backward[0].Tape.Steps.Intersect(compiled.Backward[1].Tape.Steps).ToArray();
        Assert.IsEmpty(shared, string.Join(", ", shared.Select(v => v.Name)));
        using var session = new Session(compiled);
        session.SetInput(x, Tensor.Randn(new Shape(4, 8), seed: 2));
        session.Forward();
        session.Backward(first);
        session.Backward(second);
        Assert.IsNotNull(session.Grad(w));
    }

    private static string Section(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal);
        int to = text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        return text[from..(to < 0 ? text.Length : to)];
    }

    private static int Lines(string text, string part) => text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));
}
