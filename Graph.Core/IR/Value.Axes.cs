using System.Runtime.CompilerServices;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>The axis methods of torch that are other ops seen differently: unsqueeze and squeeze are reshapes, transpose a permute.</summary>
public sealed partial class Value
{
    /// <summary>
    /// Inserts an axis of size 1 at <paramref name="axis"/> (in [−rank − 1, rank], negative counting from the end of
    /// the result), like <c>torch.unsqueeze</c>. A reshape: the gradient is reshaped back.
    /// </summary>
    public Value Unsqueeze(int axis, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        int at = NormalizeAxisOf("unsqueeze", axis, Shape.Rank + 1);
        int[] dims = [.. Shape.Dims[..at], 1, .. Shape.Dims[at..]];
        return Builder.Apply(Operations.Reshape.Instance, () => OpAttributes.Empty.With("shape", dims), this);
    }

    /// <summary>
    /// Removes <paramref name="axis"/> when its size is 1, like <c>torch.squeeze(x, dim)</c>; a value whose axis has
    /// another size is returned as it is, as torch does. A reshape: the gradient is reshaped back.
    /// </summary>
    public Value Squeeze(int axis, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        int at = NormalizeAxisOf("squeeze", axis, Math.Max(Shape.Rank, 1));
        if (Shape.Rank == 0 || Shape[at] != 1)
        {
            return this;
        }

        int[] dims = [.. Shape.Dims[..at], .. Shape.Dims[(at + 1)..]];
        return Builder.Apply(Operations.Reshape.Instance, () => OpAttributes.Empty.With("shape", dims), this);
    }

    /// <summary>
    /// Swaps axes <paramref name="dim0"/> and <paramref name="dim1"/> of a value of any rank, like <c>torch.transpose</c>:
    /// a permute (a matrix product reads a swap of its last two axes as stored, without a copy).
    /// </summary>
    public Value Transpose(int dim0, int dim1, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        int a = NormalizeAxisOf("transpose", dim0, Shape.Rank);
        int b = NormalizeAxisOf("transpose", dim1, Shape.Rank);
        int[] dims = Enumerable.Range(0, Shape.Rank).ToArray();
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return Permute(dims);
    }

    /// <summary>The canonical form of <paramref name="axis"/> among <paramref name="rank"/> axes, or a build error naming the method and this value.</summary>
    private int NormalizeAxisOf(string method, int axis, int rank)
    {
        if (axis < -rank || axis >= rank)
        {
            throw new GraphBuildException($"{method}: axis {axis} is out of range for '{Name}' {Type}; use an axis in [{-rank}, {rank - 1}].");
        }

        return axis < 0 ? axis + rank : axis;
    }
}
