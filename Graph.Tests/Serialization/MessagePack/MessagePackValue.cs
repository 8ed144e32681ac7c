using Graph.Serialization.MessagePack;

namespace Graph.Tests.Serialization.MessagePack;

/// <summary>
/// A MessagePack value as a plain tree, for property tests: written with <see cref="MessagePackWriter"/>,
/// then read back and compared, floats bit for bit.
/// </summary>
internal abstract record MessagePackValue
{
    public abstract void WriteTo(MessagePackWriter writer);

    /// <summary>Reads the next value with the typed read this value calls for, and whether it equals this one.</summary>
    public abstract bool ReadAndCompare(ref MessagePackReader reader);
}

internal sealed record NilValue : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer) => writer.WriteNil();

    public override bool ReadAndCompare(ref MessagePackReader reader)
    {
        reader.ReadNil();
        return true;
    }
}

internal sealed record BooleanValue(bool Value) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer) => writer.Write(Value);

    public override bool ReadAndCompare(ref MessagePackReader reader) => reader.ReadBoolean() == Value;
}

internal sealed record Int64Value(long Value) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer) => writer.Write(Value);

    public override bool ReadAndCompare(ref MessagePackReader reader) => reader.ReadInt64() == Value;
}

internal sealed record UInt64Value(ulong Value) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer) => writer.Write(Value);

    public override bool ReadAndCompare(ref MessagePackReader reader) => reader.ReadUInt64() == Value;
}

internal sealed record SingleValue(uint Bits) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer) => writer.Write(BitConverter.UInt32BitsToSingle(Bits));

    public override bool ReadAndCompare(ref MessagePackReader reader) => BitConverter.SingleToUInt32Bits(reader.ReadSingle()) == Bits;
}

internal sealed record DoubleValue(ulong Bits) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer) => writer.Write(BitConverter.UInt64BitsToDouble(Bits));

    public override bool ReadAndCompare(ref MessagePackReader reader) => BitConverter.DoubleToUInt64Bits(reader.ReadDouble()) == Bits;
}

internal sealed record StringValue(string Value) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer) => writer.WriteString(Value);

    public override bool ReadAndCompare(ref MessagePackReader reader) => reader.ReadString() == Value;
}

internal sealed record BinaryValue(byte[] Value) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer) => writer.WriteBinary(Value);

    public override bool ReadAndCompare(ref MessagePackReader reader) => reader.ReadBinary().SequenceEqual(Value);

    public override string ToString() => $"Binary[{Value.Length}]";
}

internal sealed record ArrayValue(MessagePackValue[] Items) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer)
    {
        writer.WriteArrayHeader(Items.Length);
        foreach (MessagePackValue item in Items)
        {
            item.WriteTo(writer);
        }
    }

    public override bool ReadAndCompare(ref MessagePackReader reader)
    {
        if (reader.ReadArrayHeader() != Items.Length)
        {
            return false;
        }

        foreach (MessagePackValue item in Items)
        {
            if (!item.ReadAndCompare(ref reader))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"[{string.Join(", ", (object[])Items)}]";
}

internal sealed record MapValue(MessagePackValue[] KeysAndValues) : MessagePackValue
{
    public override void WriteTo(MessagePackWriter writer)
    {
        writer.WriteMapHeader(KeysAndValues.Length / 2);
        foreach (MessagePackValue item in KeysAndValues)
        {
            item.WriteTo(writer);
        }
    }

    public override bool ReadAndCompare(ref MessagePackReader reader)
    {
        if (reader.ReadMapHeader() != KeysAndValues.Length / 2)
        {
            return false;
        }

        foreach (MessagePackValue item in KeysAndValues)
        {
            if (!item.ReadAndCompare(ref reader))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"{{{string.Join(", ", (object[])KeysAndValues)}}}";
}
