using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Seeds;

/// <summary>
/// <see cref="GraphBuilder.Grad"/>: gradients built into the graph as values (torch.autograd.grad with
/// create_graph=True), their uses as outputs and roots, and every misuse's message.
/// </summary>
[TestClass]
public sealed class GradAsValuesTests
{
    [TestMethod]
    public void ScalarOutput_GradientIsAnOutput_AndDifferentiatesAgain()
    {
        // y = Σ x³: dy/dx = 3x², and the gradient of Σ dy/dx is 6x.
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1.0, -2.0, 0.5]));
        Value y = x.Pow(3).Sum();
        Value dx = g.Grad(y, [x])[0].Named("dx");
        Value root = dx.Sum().Named("root");

        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [dx], GradientRoots = [root] }));
        session.Forward();
        session.Backward();
        CollectionAssert.AreEqual(new[] { 3.0, 12.0, 0.75 }, session.Output(dx).ToDoubleArray());
        CollectionAssert.AreEqual(new[] { 6.0, -12.0, 3.0 }, session.Grad(x)!.ToDoubleArray());
    }

    [TestMethod]
    public void VectorOutput_TakesTheOutputGradient_AsTheVectorOfTheProduct()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 2f, 3f]));
        Value v = g.Input("v", new Shape(3));
        Value vjp = g.Grad(x * x, [x], v)[0];

        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [vjp] }));
        session.SetInput(v, Tensor.FromArray([1f, 10f, 100f]));
        session.Forward();
        CollectionAssert.AreEqual(new[] { 2f, 40f, 600f }, session.Output(vjp).ToArray<float>());
    }

    [TestMethod]
    public void InputTheOutputDoesNotDependOn_GetsZeros_OfItsShape()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 2f]));
        Value unused = g.Parameter("unused", Tensor.Ones(new Shape(2, 3)));
        IReadOnlyList<Value> grads = g.Grad((x * x).Sum(), [x, unused]);
        Assert.AreEqual(new Shape(2, 3), grads[1].Shape);

        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [.. grads] }));
        session.Forward();
        CollectionAssert.AreEqual(new[] { 2f, 4f }, session.Output(grads[0]).ToArray<float>());
        CollectionAssert.AreEqual(new float[6], session.Output(grads[1]).ToArray<float>());
    }

    [TestMethod]
    public void IntermediateValue_AsAnInput_GetsTheGradientThatReachesIt()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 2f]));
        Value h = (x * 3f).Named("h");
        Value dh = g.Grad((h * h).Sum(), [h])[0];

        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [dh] }));
        session.Forward();
        CollectionAssert.AreEqual(new[] { 6f, 12f }, session.Output(dh).ToArray<float>());
    }

    [TestMethod]
    public void UnderNoGrad_TheGradientIsAConstantOfTheLeaves()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 2f]));
        Value y = x.Pow(3).Sum();
        Value dx;
        using (g.NoGrad())
        {
            dx = g.Grad(y, [x])[0];
        }

        Assert.IsFalse(dx.RequiresGrad);
        Assert.IsTrue(g.Grad(y, [x])[0].RequiresGrad);
    }

    [TestMethod]
    public void Misuse_Throws_WithWhatToDo()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 2f]));
        Value frozen = g.Parameter("frozen", Tensor.FromArray([1f, 2f]), requiresGrad: false);
        Value labels = g.Input("labels", new Shape(2), DType.Int64);
        Value vector = x * x;

        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => g.Grad(vector, [x])).Message, "outputGradient of shape [2]");
        Value wrong = g.Input("wrong", new Shape(3));
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => g.Grad(vector, [x], wrong)).Message, "does not fit output");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => g.Grad((frozen * frozen).Sum(), [frozen])).Message, "does not require a gradient");
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => g.Grad(vector.Sum(), [labels])).Message, "not floating point");

        var other = new GraphBuilder();
        Value foreign = other.Parameter("foreign", Tensor.FromArray([1f]));
        StringAssert.Contains(Assert.ThrowsExactly<GraphBuildException>(() => g.Grad(vector.Sum(), [foreign])).Message, "belongs to another graph");
    }

    [TestMethod]
    public void RootSeed_IsNotAnInput_BackwardSetsIt()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 2f]));
        Value y = (x * x).Named("y");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [y] });
        using var session = new Session(compiled);
        var e = Assert.ThrowsExactly<ArgumentException>(() => session.SetInput(compiled.Backward.Single().Seed, Tensor.FromArray([1f, 1f])));
        StringAssert.Contains(e.Message, "not an input");
    }

    [TestMethod]
    public void RootWhoseGradientIsItsSeed_CompilesAndAccumulatesTheSeed()
    {
        // d(a + b)/da is the seed itself: the backward tape computes nothing, and the seed is accumulated as it is.
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.FromArray([1f, 2f]));
        Value b = g.Parameter("b", Tensor.FromArray([3f, 4f]));
        Value y = (a + b).Named("y");
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [y] }));
        session.Forward();
        session.Backward(y, Tensor.FromArray([5f, 7f]));
        CollectionAssert.AreEqual(new[] { 5f, 7f }, session.Grad(a)!.ToArray<float>());
        CollectionAssert.AreEqual(new[] { 5f, 7f }, session.Grad(b)!.ToArray<float>());
    }
}
