using Graph.Serialization.MessagePack;
using static Graph.Tests.Serialization.MessagePack.MessagePackTestSupport;

namespace Graph.Tests.Serialization.MessagePack;

/// <summary>nil, booleans and floats, byte for byte as the MessagePack specification lays them out.</summary>
[TestClass]
public sealed class MessagePackScalarTests
{
    [TestMethod]
    public void Nil_IsC0()
    {
        byte[] bytes = Write(w => w.WriteNil());

        Assert.AreEqual("c0", ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.Nil, reader.PeekType());
        reader.ReadNil();
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    public void TryReadNil_ReadsNilAndLeavesOtherValues()
    {
        var reader = new MessagePackReader(Hex("c0 2a"));

        Assert.IsTrue(reader.TryReadNil());
        Assert.IsFalse(reader.TryReadNil());
        Assert.AreEqual(1, reader.Position);
        Assert.AreEqual(42, reader.ReadInt32());
    }

    [TestMethod]
    [DataRow(true, "c3")]
    [DataRow(false, "c2")]
    public void Boolean_IsC2OrC3(bool value, string hex)
    {
        byte[] bytes = Write(w => w.Write(value));

        Assert.AreEqual(hex, ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.Boolean, reader.PeekType());
        Assert.AreEqual(value, reader.ReadBoolean());
        Assert.IsTrue(reader.End);
    }

    // Bit patterns, not values, so NaN payloads and the sign of zero are checked too.
    [TestMethod]
    [DataRow(0x3fc00000U, "ca3fc00000")] // 1.5
    [DataRow(0x00000000U, "ca00000000")] // +0.0
    [DataRow(0x80000000U, "ca80000000")] // -0.0
    [DataRow(0x7f800000U, "ca7f800000")] // +infinity
    [DataRow(0xff800000U, "caff800000")] // -infinity
    [DataRow(0xffc00000U, "caffc00000")] // float.NaN as .NET spells it
    [DataRow(0x7fc00001U, "ca7fc00001")] // a quiet NaN with a payload
    [DataRow(0x00000001U, "ca00000001")] // the smallest subnormal
    [DataRow(0x7f7fffffU, "ca7f7fffff")] // float.MaxValue
    public void Single_IsFloat32AndRoundTripsBitwise(uint bits, string hex)
    {
        float value = BitConverter.UInt32BitsToSingle(bits);

        byte[] bytes = Write(w => w.Write(value));

        Assert.AreEqual(hex, ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.Float, reader.PeekType());
        Assert.AreEqual(bits, BitConverter.SingleToUInt32Bits(reader.ReadSingle()));
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    [DataRow(0x3ff8000000000000UL, "cb3ff8000000000000")] // 1.5
    [DataRow(0x0000000000000000UL, "cb0000000000000000")] // +0.0
    [DataRow(0x8000000000000000UL, "cb8000000000000000")] // -0.0
    [DataRow(0x7ff0000000000000UL, "cb7ff0000000000000")] // +infinity
    [DataRow(0xfff0000000000000UL, "cbfff0000000000000")] // -infinity
    [DataRow(0xfff8000000000000UL, "cbfff8000000000000")] // double.NaN as .NET spells it
    [DataRow(0x7ff8000000000001UL, "cb7ff8000000000001")] // a quiet NaN with a payload
    [DataRow(0x0000000000000001UL, "cb0000000000000001")] // the smallest subnormal
    [DataRow(0x3fb999999999999aUL, "cb3fb999999999999a")] // 0.1
    public void Double_IsFloat64AndRoundTripsBitwise(ulong bits, string hex)
    {
        double value = BitConverter.UInt64BitsToDouble(bits);

        byte[] bytes = Write(w => w.Write(value));

        Assert.AreEqual(hex, ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.Float, reader.PeekType());
        Assert.AreEqual(bits, BitConverter.DoubleToUInt64Bits(reader.ReadDouble()));
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    [DataRow("ca3fc00000", 1.5)]
    [DataRow("ca3dcccccd", 0.100000001490116119384765625)]
    [DataRow("caff800000", double.NegativeInfinity)]
    public void ReadDouble_WidensFloat32Exactly(string hex, double expected)
    {
        var reader = new MessagePackReader(Hex(hex));

        Assert.AreEqual(expected, reader.ReadDouble());
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    public void ReadSingle_RejectsFloat64RatherThanNarrowing()
    {
        var ex = ReadThrows(Hex("cb3ff8000000000000"), (ref MessagePackReader r) => r.ReadSingle());

        Assert.AreEqual(0, ex.Offset);
        Assert.AreEqual("expected a float32, found float64 (0xcb)", ex.Reason);
    }
}
