using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>A row-major tensor seen as [outer, size, inner] around one axis: how softmax, argmax and concat walk it.</summary>
internal static class AxisLayout
{
    public static (int Outer, int Size, int Inner) Split(Shape shape, int axis)
    {
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= shape[i];
        }

        for (int i = axis + 1; i < shape.Rank; i++)
        {
            inner *= shape[i];
        }

        return (checked((int)outer), shape.Rank == 0 ? 1 : shape[axis], checked((int)inner));
    }
}
