namespace Graph.Core;

/// <summary>The element type of a tensor.</summary>
public enum DType
{
    /// <summary>32-bit IEEE 754 floating point (<see cref="float"/>).</summary>
    Float32,

    /// <summary>64-bit IEEE 754 floating point (<see cref="double"/>).</summary>
    Float64,

    /// <summary>64-bit signed integer (<see cref="long"/>): class indices, counts.</summary>
    Int64,

    /// <summary>Boolean, one byte per element (<see cref="bool"/>): comparison results.</summary>
    Bool,
}

/// <summary>Facts about each <see cref="DType"/>.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int SizeInBytes(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>True for <see cref="DType.Float32"/> and <see cref="DType.Float64"/>: the dtypes that carry gradients.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The lower-case name used in messages and files: <c>float32</c>, <c>float64</c>, <c>int64</c>, <c>bool</c>.</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The dtype whose elements are <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not an element type of any dtype.</exception>
    public static DType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return DType.Float32;
        }

        if (typeof(T) == typeof(double))
        {
            return DType.Float64;
        }

        if (typeof(T) == typeof(long))
        {
            return DType.Int64;
        }

        if (typeof(T) == typeof(bool))
        {
            return DType.Bool;
        }

        throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type; use float, double, long or bool.");
    }
}
