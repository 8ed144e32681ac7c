using System.Runtime.InteropServices;
using Graph.Core;

namespace Graph.Data;

/// <summary>The contents of one IDX file: an element type, dimensions, and the elements in row-major order.</summary>
public sealed class IdxArray
{
    private readonly byte[] _data;

    /// <summary>An array over <paramref name="data"/>, which must already be in machine byte order.</summary>
    internal IdxArray(IdxElementType elementType, Shape shape, byte[] data)
    {
        ElementType = elementType;
        Shape = shape;
        _data = data;
    }

    /// <summary>The element type the file declares.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The dimensions, outermost first (for MNIST images: count, rows, columns).</summary>
    public Shape Shape { get; }

    /// <summary>The number of elements.</summary>
    public long ElementCount => Shape.ElementCount;

    /// <summary>The elements, converted from the file's big-endian order to the machine's.</summary>
    /// <typeparam name="T"><see cref="byte"/>, <see cref="sbyte"/>, <see cref="short"/>, <see cref="int"/>, <see cref="float"/> or <see cref="double"/>, matching <see cref="ElementType"/>.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="ElementType"/>.</exception>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        if (typeof(T) != ElementType.ClrType())
        {
            throw new InvalidOperationException($"This IDX array holds {ElementType} elements ({ElementType.ClrType().Name}); AsSpan<{typeof(T).Name}> does not match.");
        }

        return MemoryMarshal.Cast<byte, T>(_data);
    }
}
