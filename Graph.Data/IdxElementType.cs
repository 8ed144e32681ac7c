namespace Graph.Data;

/// <summary>The element types an IDX file can hold, by their type code (the file's third byte).</summary>
public enum IdxElementType : byte
{
    /// <summary>Unsigned byte (<see cref="byte"/>), code 0x08: what MNIST and Fashion-MNIST use.</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed byte (<see cref="sbyte"/>), code 0x09.</summary>
    SignedByte = 0x09,

    /// <summary>Big-endian 16-bit integer (<see cref="short"/>), code 0x0B.</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian 32-bit integer (<see cref="int"/>), code 0x0C.</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian 32-bit float (<see cref="float"/>), code 0x0D.</summary>
    Float32 = 0x0D,

    /// <summary>Big-endian 64-bit float (<see cref="double"/>), code 0x0E.</summary>
    Float64 = 0x0E,
}

/// <summary>Facts about each <see cref="IdxElementType"/>.</summary>
public static class IdxElementTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int SizeInBytes(this IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Float32 => 4,
        IdxElementType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown IDX element type."),
    };

    /// <summary>True for the type codes the IDX format defines.</summary>
    public static bool IsDefined(this IdxElementType type) => type is IdxElementType.UnsignedByte or IdxElementType.SignedByte
        or IdxElementType.Int16 or IdxElementType.Int32 or IdxElementType.Float32 or IdxElementType.Float64;

    /// <summary>The .NET type whose values an element of this type is.</summary>
    internal static Type ClrType(this IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte => typeof(byte),
        IdxElementType.SignedByte => typeof(sbyte),
        IdxElementType.Int16 => typeof(short),
        IdxElementType.Int32 => typeof(int),
        IdxElementType.Float32 => typeof(float),
        IdxElementType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown IDX element type."),
    };
}
