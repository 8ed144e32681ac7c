using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Compiler;

/// <summary>
/// The constant-folding pass, read off <c>compiled.ToString()</c> with and without simplification: nodes of constants
/// become constants with the kernels' own (correctly rounded) results, and what must stay a node stays one.
/// </summary>
[TestClass]
public sealed class ConstantFoldingTests
{
    [TestMethod]
    public void ArithmeticOfConstants_IsOneConstant_WithTheFloat32Result()
    {
        (string before, string after, float[] folded, float[] asBuilt) = Compare(g =>
        {
            Value tenth = g.Constant(Tensor.Scalar(0.1), "tenth");
            Value three = g.Constant(Tensor.FromArray([3f, -7f, 1e-3f]), "three");
            Value scale = ((tenth * three) + tenth) / g.Constant(Tensor.Scalar(0.3), "third");
            return -scale.Sqrt().Abs();
        });

        Assert.AreEqual(1, Lines(before, "= mul(tenth, three)"), before);
        Assert.AreEqual(0, Lines(after, "= mul(tenth, three)"), after);
        Assert.AreEqual(0, Lines(after, "= div("), after);
        Assert.AreEqual(1, Lines(after, "= add(x, "), after); // only the step that reads the input is left
        CollectionAssert.AreEqual(asBuilt, folded); // bitwise: NaN (sqrt of a negative) included
    }

    [TestMethod]
    public void MovesOfConstants_FoldByteForByte()
    {
        (string before, string after, float[] folded, float[] asBuilt) = Compare(g =>
        {
            Value matrix = g.Constant(Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3), "matrix");
            return matrix.T().Reshape(6).Permute(0) * g.Constant(Tensor.FromArray([1.5f, 2f, -1f, 0.5f, 3f, 0.25f]), "weights");
        });

        Assert.AreEqual(1, Lines(before, "= transpose(matrix)"), before);
        Assert.AreEqual(0, Lines(after, "= transpose(") + Lines(after, "= reshape(") + Lines(after, "= mul("), after);
        CollectionAssert.AreEqual(asBuilt, folded);
    }

    [TestMethod]
    public void ABroadcastThatGrowsTheConstant_AndWhatReadsAnInput_StayNodes()
    {
        (string _, string after, float[] folded, float[] asBuilt) = Compare(g =>
        {
            Value column = g.Constant(Tensor.FromArray([1f, 2f, 3f], 3, 1), "column");
            Value row = g.Constant(Tensor.FromArray([10f, 20f, 30f], 1, 3), "row");
            return (column + row).Sum(1);
        });

        Assert.AreEqual(1, Lines(after, "= add(column, row)"), after); // 3 + 3 elements would become 9
        CollectionAssert.AreEqual(asBuilt, folded);
    }

    /// <summary>
    /// Compiles <c>x + constants(g)</c> with and without simplification; the texts of both, and the output of both at
    /// x = 0 (so the folded constant's elements are read back exactly).
    /// </summary>
    private static (string Before, string After, float[] Folded, float[] AsBuilt) Compare(Func<GraphBuilder, Value> constants)
    {
        (string after, float[] folded) = Run(constants, simplify: true);
        (string before, float[] asBuilt) = Run(constants, simplify: false);
        return (before, after, folded, asBuilt);
    }

    private static (string Text, float[] Output) Run(Func<GraphBuilder, Value> constants, bool simplify)
    {
        var g = new GraphBuilder();
        Value c = constants(g);
        Value x = g.Input("x", c.Shape);
        Value y = (x + c).Named("y");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y], Simplify = simplify });
        using var session = new Session(compiled);
        session.SetInput(x, Tensor.Zeros(c.Shape));
        session.Forward();
        return (compiled.ToString(), session.Output(y).ToArray<float>());
    }

    private static int Lines(string text, string part) => text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));
}
