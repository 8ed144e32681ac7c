using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Graph.Core;

/// <summary>
/// Dense, row-major host data of one <see cref="Core.DType"/>, 64-byte aligned. A tensor either owns its
/// memory or is a view of a session's memory (what <c>Session.Output</c> and <c>Session.Grad</c> return).
/// </summary>
public sealed class Tensor
{
    private readonly AlignedBuffer _buffer;
    private readonly int _byteOffset;
    private readonly MemoryLease? _lease;

    private Tensor(AlignedBuffer buffer, int byteOffset, Shape shape, DType dtype, MemoryLease? lease = null)
    {
        _buffer = buffer;
        _byteOffset = byteOffset;
        _lease = lease;
        Shape = shape;
        DType = dtype;
        ByteLength = checked((int)(shape.ElementCount * dtype.SizeInBytes()));
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The number of elements.</summary>
    public long ElementCount => Shape.ElementCount;

    /// <summary>The number of bytes of data.</summary>
    public int ByteLength { get; }

    /// <summary>A tensor holding a copy of <paramref name="data"/>; no shape means 1-D of the data's length.</summary>
    /// <exception cref="ArgumentException">The data's length is not the shape's element count.</exception>
    public static Tensor FromArray(float[] data, params int[] shape) => FromSpan<float>(data, shape);

    /// <inheritdoc cref="FromArray(float[], int[])"/>
    public static Tensor FromArray(double[] data, params int[] shape) => FromSpan<double>(data, shape);

    /// <inheritdoc cref="FromArray(float[], int[])"/>
    public static Tensor FromArray(long[] data, params int[] shape) => FromSpan<long>(data, shape);

    /// <inheritdoc cref="FromArray(float[], int[])"/>
    public static Tensor FromArray(bool[] data, params int[] shape) => FromSpan<bool>(data, shape);

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full(Shape.Scalar, value, dtype);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(Shape shape, DType dtype = DType.Float32) => new(new AlignedBuffer(shape.ElementCount * dtype.SizeInBytes()), 0, shape, dtype);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(Shape shape, DType dtype = DType.Float32) => Full(shape, 1.0, dtype);

    /// <summary>A tensor with every element <paramref name="value"/> (converted to the dtype; nonzero is true for Bool).</summary>
    public static Tensor Full(Shape shape, double value, DType dtype = DType.Float32)
    {
        Tensor t = Zeros(shape, dtype);
        t.Fill(value);
        return t;
    }

    /// <summary>A 2-D <paramref name="n"/> × <paramref name="m"/> tensor with ones on the diagonal, like torch.eye(n, m).</summary>
    public static Tensor Eye(int n, int m, DType dtype = DType.Float32)
    {
        Tensor t = Zeros(new Shape(n, m), dtype);
        for (int i = 0; i < Math.Min(n, m); i++)
        {
            t.SetDouble((i * m) + i, 1.0);
        }

        return t;
    }

    /// <summary>Uniform random values in [0, 1), determined by <paramref name="seed"/>.</summary>
    public static Tensor Rand(Shape shape, int seed, DType dtype = DType.Float32)
    {
        var random = new SeededRandom(seed);
        return Generate(shape, dtype, random.NextDouble);
    }

    /// <summary>Standard normal random values N(0, 1), determined by <paramref name="seed"/>.</summary>
    public static Tensor Randn(Shape shape, int seed, DType dtype = DType.Float32)
    {
        var random = new SeededRandom(seed);
        return Generate(shape, dtype, random.NextNormal);
    }

    /// <summary>The elements as a span over this tensor's memory (no copy).</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not this tensor's element type.</exception>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        DType requested = DTypeExtensions.Of<T>();
        if (requested != DType)
        {
            throw new InvalidOperationException($"This tensor holds {DType.Name()} elements; AsSpan<{typeof(T).Name}> asks for {requested.Name()}. Use AsSpan<{ElementTypeName(DType)}>().");
        }

        return MemoryMarshal.Cast<byte, T>(Bytes);
    }

    /// <summary>A copy of the elements.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not this tensor's element type.</exception>
    public T[] ToArray<T>()
        where T : unmanaged => AsSpan<T>().ToArray();

    /// <summary>A copy of the elements converted to double, whatever the dtype (Bool gives 0 and 1).</summary>
    public double[] ToDoubleArray()
    {
        var result = new double[ElementCount];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = GetDouble(i);
        }

        return result;
    }

    /// <summary>The single element of a one-element tensor, as double.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public double Item()
    {
        if (ElementCount != 1)
        {
            throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {Shape} ({ElementCount} elements).");
        }

        return GetDouble(0);
    }

    /// <summary>A deep copy that owns its memory.</summary>
    public Tensor Clone()
    {
        Tensor copy = Zeros(Shape, DType);
        Bytes.CopyTo(copy.Bytes);
        return copy;
    }

    /// <summary>Copies this tensor's elements into <paramref name="destination"/>, which must have the same shape and dtype.</summary>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    public void CopyTo(Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Shape != Shape || destination.DType != DType)
        {
            throw new ArgumentException($"Cannot copy a {DType.Name()} tensor of shape {Shape} into a {destination.DType.Name()} tensor of shape {destination.Shape}.", nameof(destination));
        }

        Bytes.CopyTo(destination.Bytes);
    }

    /// <summary>Sets every element to <paramref name="value"/>, converted to the dtype.</summary>
    public void Fill(double value)
    {
        switch (DType)
        {
            case DType.Float32:
                AsSpan<float>().Fill((float)value);
                break;
            case DType.Float64:
                AsSpan<double>().Fill(value);
                break;
            case DType.Int64:
                AsSpan<long>().Fill((long)value);
                break;
            default:
                AsSpan<bool>().Fill(value != 0);
                break;
        }
    }

    /// <summary>Prints like PyTorch: <c>tensor([[1., 2.], [3., 4.]])</c>, with the dtype when it is not float32.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("tensor(");
        AppendNested(text, 0, 0);
        if (DType != DType.Float32)
        {
            text.Append(", dtype=").Append(DType.Name());
        }

        return text.Append(')').ToString();
    }

    /// <summary>
    /// A view of memory in <paramref name="buffer"/> at <paramref name="byteOffset"/>: how sessions expose their memory.
    /// Once <paramref name="lease"/> is revoked, every access throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    internal static Tensor View(AlignedBuffer buffer, int byteOffset, Shape shape, DType dtype, MemoryLease? lease = null)
    {
        var view = new Tensor(buffer, byteOffset, shape, dtype, lease);
        if (byteOffset < 0 || byteOffset + view.ByteLength > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"A view of {view.ByteLength} bytes at {byteOffset} does not fit a buffer of {buffer.Length} bytes.");
        }

        return view;
    }

    /// <summary>The raw bytes, little-endian as the machine stores them.</summary>
    /// <exception cref="ObjectDisposedException">The tensor is a view of a disposed session's memory.</exception>
    internal Span<byte> Bytes
    {
        get
        {
            if (_lease is { Revoked: true })
            {
                ThrowStaleView();
            }

            return _buffer.Slice(_byteOffset, ByteLength);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowStaleView() => throw new ObjectDisposedException(
        nameof(Tensor),
        $"This {DType.Name()}{Shape} tensor is a view of a session's memory, and the session was disposed: its memory now belongs to another session. Copy what you need with ToArray() before disposing the session.");

    /// <summary>Element <paramref name="index"/> (row-major) as double.</summary>
    internal double GetDouble(long index) => DType switch
    {
        DType.Float32 => AsSpan<float>()[(int)index],
        DType.Float64 => AsSpan<double>()[(int)index],
        DType.Int64 => AsSpan<long>()[(int)index],
        _ => AsSpan<bool>()[(int)index] ? 1.0 : 0.0,
    };

    /// <summary>Sets element <paramref name="index"/> (row-major) from a double.</summary>
    internal void SetDouble(long index, double value)
    {
        switch (DType)
        {
            case DType.Float32:
                AsSpan<float>()[(int)index] = (float)value;
                break;
            case DType.Float64:
                AsSpan<double>()[(int)index] = value;
                break;
            case DType.Int64:
                AsSpan<long>()[(int)index] = (long)value;
                break;
            default:
                AsSpan<bool>()[(int)index] = value != 0;
                break;
        }
    }

    private static Tensor FromSpan<T>(ReadOnlySpan<T> data, int[] shape)
        where T : unmanaged
    {
        Shape s = shape.Length == 0 ? new Shape(data.Length) : new Shape(shape);
        if (s.ElementCount != data.Length)
        {
            throw new ArgumentException($"{data.Length} values do not fill shape {s} ({s.ElementCount} elements).", nameof(data));
        }

        Tensor t = Zeros(s, DTypeExtensions.Of<T>());
        data.CopyTo(t.AsSpan<T>());
        return t;
    }

    private static Tensor Generate(Shape shape, DType dtype, Func<double> next)
    {
        Tensor t = Zeros(shape, dtype);
        for (long i = 0; i < t.ElementCount; i++)
        {
            t.SetDouble(i, next());
        }

        return t;
    }

    private static string ElementTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int64 => "long",
        _ => "bool",
    };

    private int AppendNested(StringBuilder text, int axis, int offset)
    {
        if (axis == Shape.Rank)
        {
            text.Append(FormatElement(GetDouble(offset)));
            return offset + 1;
        }

        text.Append('[');
        for (int i = 0; i < Shape[axis]; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            offset = AppendNested(text, axis + 1, offset);
        }

        text.Append(']');
        return offset;
    }

    private string FormatElement(double value) => DType switch
    {
        DType.Bool => value != 0 ? "True" : "False",
        DType.Int64 => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture) + "."
            : value.ToString("G6", CultureInfo.InvariantCulture),
    };
}
