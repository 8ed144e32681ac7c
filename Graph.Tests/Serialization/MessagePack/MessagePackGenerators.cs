using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Graph.Tests.Serialization.MessagePack;

/// <summary>FsCheck generators for <see cref="MessagePackValue"/> trees that reach every format family.</summary>
internal static class MessagePackGenerators
{
    // Uniform 64-bit patterns, built from pieces because Gen.Choose works on int ranges.
    private static readonly Gen<ulong> s_bits =
        from top in Gen.Choose(0, 3)
        from high in Gen.Choose(0, int.MaxValue)
        from low in Gen.Choose(0, int.MaxValue)
        select ((ulong)(uint)top << 62) | ((ulong)(uint)high << 31) | (uint)low;

    // Magnitudes spread evenly over bit widths, so every uint and int format turns up often.
    private static readonly Gen<ulong> s_magnitude =
        from bits in s_bits
        from shift in Gen.Choose(0, 63)
        select bits >> shift;

    private static readonly Gen<MessagePackValue> s_int64 =
        from magnitude in s_magnitude
        from negative in Gen.Elements(false, true)
        select (MessagePackValue)new Int64Value(negative ? ~(long)(magnitude >> 1) : (long)(magnitude >> 1));

    private static readonly Gen<MessagePackValue> s_uint64 = s_magnitude.Select(v => (MessagePackValue)new UInt64Value(v));

    private static readonly Gen<MessagePackValue> s_single = Gen.Frequency(
        (3, s_bits.Select(b => (uint)b)),
        (1, Gen.Elements(0x00000000U, 0x80000000U, 0x7f800000U, 0xff800000U, 0xffc00000U, 0x7fc00001U, 0x00000001U)))
        .Select(b => (MessagePackValue)new SingleValue(b));

    private static readonly Gen<MessagePackValue> s_double = Gen.Frequency(
        (3, s_bits),
        (1, Gen.Elements(0UL, 0x8000000000000000UL, 0x7ff0000000000000UL, 0xfff0000000000000UL, 0xfff8000000000000UL, 0x7ff8000000000001UL, 1UL)))
        .Select(b => (MessagePackValue)new DoubleValue(b));

    // Lengths mostly short, sometimes past the fixstr, str8 and bin8 limits.
    private static readonly Gen<int> s_length = Gen.Frequency((4, Gen.Choose(0, 40)), (1, Gen.Choose(0, 300)));

    // Scalar values: 1-, 2-, 3- and 4-byte UTF-8, never a surrogate.
    private static readonly Gen<int> s_codePoint = Gen.Frequency(
        (6, Gen.Choose(0x20, 0x7e)),
        (1, Gen.Choose(0, 0x7f)),
        (1, Gen.Choose(0x80, 0x7ff)),
        (1, Gen.Choose(0x800, 0xffff).Where(c => c is < 0xd800 or > 0xdfff)),
        (1, Gen.Choose(0x10000, 0x10ffff)));

    private static readonly Gen<MessagePackValue> s_string =
        from length in s_length
        from codePoints in Gen.ArrayOf(s_codePoint, length)
        select (MessagePackValue)new StringValue(ToText(codePoints));

    private static readonly Gen<MessagePackValue> s_binary =
        from length in s_length
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select (MessagePackValue)new BinaryValue(bytes);

    private static readonly Gen<MessagePackValue> s_scalar = Gen.OneOf(
        Gen.Constant((MessagePackValue)new NilValue()),
        Gen.Elements(false, true).Select(b => (MessagePackValue)new BooleanValue(b)),
        s_int64,
        s_uint64,
        s_single,
        s_double,
        s_string,
        s_binary);

    /// <summary>A short sequence of top-level values, nested at most three deep.</summary>
    public static Gen<MessagePackValue[]> Sequence { get; } =
        from count in Gen.Choose(0, 6)
        from values in Gen.ArrayOf(Value(depth: 3), count)
        select values;

    private static Gen<MessagePackValue> Value(int depth)
    {
        if (depth == 0)
        {
            return s_scalar;
        }

        // Only the innermost containers get counts past the fix formats, so trees stay small.
        Gen<int> count = depth == 1
            ? Gen.Frequency((4, Gen.Choose(0, 4)), (1, Gen.Choose(14, 18)))
            : Gen.Choose(0, 4);
        Gen<MessagePackValue> child = Value(depth - 1);
        Gen<MessagePackValue> array =
            from n in count
            from items in Gen.ArrayOf(child, n)
            select (MessagePackValue)new ArrayValue(items);
        Gen<MessagePackValue> map =
            from n in count
            from items in Gen.ArrayOf(child, 2 * n)
            select (MessagePackValue)new MapValue(items);
        return Gen.Frequency((3, s_scalar), (1, array), (1, map));
    }

    private static string ToText(int[] codePoints)
    {
        var builder = new StringBuilder(codePoints.Length);
        foreach (int codePoint in codePoints)
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }

        return builder.ToString();
    }
}
