using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime.Kernels;

/// <summary>
/// A linear layer's bias added to every row of its product, and optionally a ReLU after it, applied block by block as
/// the GEMM finishes each one (<see cref="IGemmEpilogue{T}"/>). The same TensorPrimitives calls as the separate add
/// and relu kernels (an add, a maximum with 0), so the fused result is bitwise that of the three steps.
/// </summary>
internal readonly unsafe struct BiasEpilogue<T>(T* bias, bool relu) : IGemmEpilogue<T>
    where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public bool IsEmpty => false;

    /// <inheritdoc/>
    public void Apply(int row, int rows, int column, int columns, T* c, nint ldc)
    {
        var b = new ReadOnlySpan<T>(bias + column, columns);
        for (int i = row; i < row + rows; i++)
        {
            var run = new Span<T>(c + (i * ldc) + column, columns);
            TensorPrimitives.Add(run, b, run);
            if (relu)
            {
                TensorPrimitives.Max(run, T.Zero, run);
            }
        }
    }
}
