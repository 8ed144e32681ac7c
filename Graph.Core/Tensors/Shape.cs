using System.Text;

namespace Graph.Core;

/// <summary>
/// The dimensions of a row-major tensor. Immutable; <c>default(Shape)</c> is the scalar shape <c>[]</c>.
/// </summary>
public readonly struct Shape : IEquatable<Shape>
{
    private readonly int[]? _dims;

    /// <summary>
    /// The size of a dynamic dimension (the batch): <c>-1</c> in an <c>Input</c> shape, fixed only when a session is
    /// given a tensor, and carried through the shape rules of everything computed from it.
    /// </summary>
    public const int Dynamic = -1;

    /// <summary>A shape with the given dimensions, outermost first; <see cref="Dynamic"/> (-1) marks a dynamic dimension.</summary>
    /// <exception cref="ArgumentException">A dimension is below -1, or the element count does not fit a long.</exception>
    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (int d in dims)
        {
            if (d < Dynamic)
            {
                throw new ArgumentException($"Shape {Format(dims)} has a negative dimension; every dimension must be 0 or more, or -1 for a dynamic one.", nameof(dims));
            }
        }

        // ElementCount is a long: a shape of 2^63 elements or more would wrap it (65536^4 used to read 0).
        if (SizeArithmetic.Product(dims) == long.MaxValue)
        {
            throw new ArgumentException($"Shape {Format(dims)} has more than {long.MaxValue} elements; no tensor can be that large.", nameof(dims));
        }

        _dims = dims.Length == 0 ? null : (int[])dims.Clone();
    }

    /// <summary>A shape from a span of dimensions.</summary>
    public Shape(ReadOnlySpan<int> dims)
        : this(dims.ToArray())
    {
    }

    /// <summary>The scalar shape <c>[]</c>: rank 0, one element.</summary>
    public static Shape Scalar => default;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dims?.Length ?? 0;

    /// <summary>The size of dimension <paramref name="axis"/>; a negative axis counts from the end.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside [-Rank, Rank).</exception>
    public int this[int axis] => _dims![NormalizeAxis(axis)];

    /// <summary>The size of dimension <paramref name="axis"/>, where <c>^1</c> is the last.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the shape.</exception>
    public int this[Index axis]
    {
        get
        {
            int offset = axis.GetOffset(Rank);
            if (offset < 0 || offset >= Rank)
            {
                throw new ArgumentOutOfRangeException(nameof(axis), axis, $"Axis {axis} is out of range for shape {this} of rank {Rank}.");
            }

            return _dims![offset];
        }
    }

    /// <summary>True when a dimension is <see cref="Dynamic"/>: the shape is a pattern that concrete shapes fill in.</summary>
    public bool IsDynamic => Dims.Contains(Dynamic);

    /// <summary>The product of the dimensions (1 for a scalar).</summary>
    /// <exception cref="InvalidOperationException">The shape is dynamic, so its element count is known only at run time.</exception>
    public long ElementCount
    {
        get
        {
            if (IsDynamic)
            {
                throw new InvalidOperationException($"Shape {this} has a dynamic dimension (-1), so its element count is known only when a session is given a tensor.");
            }

            long n = 1;
            foreach (int d in Dims)
            {
                n *= d;
            }

            return n;
        }
    }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Dims => _dims;

    /// <summary>Equality of dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Inequality of dimensions.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <summary>Maps a possibly negative axis into [0, Rank).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside [-Rank, Rank).</exception>
    public int NormalizeAxis(int axis)
    {
        int rank = Rank;
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"Axis {axis} is out of range for shape {this} of rank {rank}; use an axis in [{-rank}, {rank - 1}].");
        }

        return normalized;
    }

    /// <summary>Row-major strides in elements: the distance between neighbours along each axis.</summary>
    public int[] Strides()
    {
        var strides = new int[Rank];
        int stride = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= _dims![i];
        }

        return strides;
    }

    /// <summary>
    /// True when <paramref name="concrete"/> fills in this pattern: the same rank, and every dimension equal except the
    /// <see cref="Dynamic"/> ones, which may be any size.
    /// </summary>
    public bool Admits(Shape concrete)
    {
        if (concrete.Rank != Rank)
        {
            return false;
        }

        for (int i = 0; i < Rank; i++)
        {
            if (_dims![i] != Dynamic && _dims[i] != concrete._dims![i])
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (int d in Dims)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>The shape as PyTorch prints sizes: <c>[2, 3]</c>, or <c>[]</c> for a scalar.</summary>
    public override string ToString() => Format(Dims);

    private static string Format(ReadOnlySpan<int> dims)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < dims.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(dims[i]);
        }

        return text.Append(']').ToString();
    }
}
