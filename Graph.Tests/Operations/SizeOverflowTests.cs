using Graph.Compiler;
using Graph.Core;

namespace Graph.Tests.Operations;

/// <summary>
/// Sizes too large for a dimension, a tensor or an arena are refused where the value is built (or the graph compiled),
/// and the error names the op and the value. They used to wrap: a pad gave shape [3], a concat threw a raw
/// ArgumentException, conv2d's column count wrapped in the kernel, a huge input failed only in new Session, and
/// 65536^4 elements read as 0.
/// </summary>
[TestClass]
public sealed class SizeOverflowTests
{
    [TestMethod]
    public void Pad_SizeBeyondIntMax_ThrowsNamingThePad()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3));

        var e = Assert.ThrowsExactly<GraphBuildException>(() => Ops.Pad(x, 0, int.MaxValue, int.MaxValue));

        StringAssert.StartsWith(e.Message, "pad 'pad");
        StringAssert.Contains(e.Message, "more than the largest dimension");
        StringAssert.Contains(e.Message, "'x'");
    }

    [TestMethod]
    public void Concat_JoinedSizeBeyondIntMax_ThrowsNamingTheConcat()
    {
        var g = new GraphBuilder();
        Value[] parts = Enumerable.Range(0, 3).Select(i => g.Input($"part{i}", new Shape(1, 1 << 30), DType.Bool)).ToArray();

        var e = Assert.ThrowsExactly<GraphBuildException>(() => Ops.Concat(parts, axis: 1));

        StringAssert.StartsWith(e.Message, "concat 'concat");
        StringAssert.Contains(e.Message, $"would be {3L << 30}");
    }

    [TestMethod]
    public void Conv2d_ColumnsOfOneSampleBeyondOneBuffer_ThrowsNamingTheConv()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(1, 64, 2048, 2048)); // 1 GiB: fits; its columns, 576 × 4M floats, do not
        Value w = g.Parameter("w", Tensor.Zeros(new Shape(1, 64, 3, 3)));

        var e = Assert.ThrowsExactly<GraphBuildException>(() => Ops.Conv2d(x, w, bias: null, padding: 1));

        StringAssert.StartsWith(e.Message, "conv2d 'conv2d");
        StringAssert.Contains(e.Message, $"the im2col columns of one sample, [576, {2048 * 2048}]");
    }

    [TestMethod]
    public void Input_LargerThanOneTensor_ThrowsWhenBuilt_NamingTheInput()
    {
        var g = new GraphBuilder();

        var e = Assert.ThrowsExactly<GraphBuildException>(() => g.Input("big", new Shape(65536, 65536, 4)));

        StringAssert.StartsWith(e.Message, "input 'big' at SizeOverflowTests.cs:");
        StringAssert.Contains(e.Message, ": float32[65536, 65536, 4] needs 68719476736 bytes");
    }

    [TestMethod]
    public void OpResult_LargerThanOneTensor_ThrowsWhenBuilt_NamingTheOp()
    {
        var g = new GraphBuilder();
        Value a = g.Input("a", new Shape(65536, 1));
        Value b = g.Input("b", new Shape(1, 65536));

        var e = Assert.ThrowsExactly<GraphBuildException>(() => a + b);

        StringAssert.StartsWith(e.Message, "add 'add");
        StringAssert.Contains(e.Message, "its result float32[65536, 65536] needs 17179869184 bytes");
    }

    [TestMethod]
    public void Shape_WhoseElementCountOverflowsLong_IsRefused()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new Shape(65536, 65536, 65536, 65536));

        StringAssert.Contains(e.Message, "elements");
        Assert.AreEqual(0, new Shape(65536, 65536, 65536, 0).ElementCount, "an empty dimension still makes an empty shape");
    }

    [TestMethod]
    public void Plan_LargerThanOneArena_ThrowsWhenCompiled_NamingTheLargestValues()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(1 << 28)); // 1 GiB each: two results alive at once do not fit one arena
        Value y = (x * 2).Named("y");
        Value z = (x * 3).Named("z");

        var e = Assert.ThrowsExactly<GraphBuildException>(() => GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y, z] }));

        StringAssert.Contains(e.Message, "more than one arena holds");
        StringAssert.Contains(e.Message, "'y' float32[268435456]");
    }
}
