using System.Text;
using Graph.Core;
using Graph.Serialization;

namespace Graph.Tests.Serialization.Safetensors;

[TestClass]
public sealed class SafetensorsGoldenTests
{
    // Worked out by hand from the format: the JSON below is 132 bytes, padded with 4 spaces to 136 (a multiple
    // of 8), so the header length is 0x88 and the data starts at byte 8 + 136 = 144. "a" is two F32s (8 bytes),
    // "b" one I64 scalar (8 bytes), so the file is 160 bytes.
    private const string Json =
        "{\"__metadata__\":{\"k\":\"v\"}," +
        "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," +
        "\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";

    private static readonly byte[] s_golden =
    [
        0x88, 0, 0, 0, 0, 0, 0, 0,
        .. Encoding.ASCII.GetBytes(Json + "    "),
        0x00, 0x00, 0x80, 0x3F, // 1.0f
        0x00, 0x00, 0x00, 0x40, // 2.0f
        0x07, 0, 0, 0, 0, 0, 0, 0, // 7L
    ];

    [TestMethod]
    public void GoldenBytesAreAsComputedByHand()
    {
        Assert.AreEqual(132, Json.Length);
        Assert.AreEqual(160, s_golden.Length);
    }

    [TestMethod]
    public void WriterProducesTheGoldenBytes()
    {
        byte[] bytes = SafetensorsFile.ToBytes(
            [new("b", Tensor.Scalar(7, DType.Int64)), new("a", Tensor.FromArray([1.0f, 2.0f]))],
            new Dictionary<string, string> { ["k"] = "v" });

        CollectionAssert.AreEqual(s_golden, bytes);
    }

    [TestMethod]
    public void ReaderDecodesTheGoldenBytes()
    {
        (IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata) = SafetensorsFile.ReadWithMetadata(s_golden);

        Assert.AreEqual(2, tensors.Count);
        CollectionAssert.AreEqual(new[] { 1.0f, 2.0f }, tensors["a"].ToArray<float>());
        Assert.AreEqual(new Shape(2), tensors["a"].Shape);
        Assert.AreEqual(DType.Int64, tensors["b"].DType);
        Assert.AreEqual(Shape.Scalar, tensors["b"].Shape);
        Assert.AreEqual(7L, tensors["b"].ToArray<long>()[0]);
        Assert.AreEqual("v", metadata["k"]);
    }

    [TestMethod]
    public void ReferenceWriterOutputWithAnUnsupportedDTypeGetsAClearError()
    {
        // The bytes the reference implementation's own test expects from saving a 2x2 int32 zeros array:
        // a 60-byte header padded with 4 spaces to 64 ('@'), then 16 zero bytes. Graph has no I32.
        byte[] reference =
        [
            (byte)'@', 0, 0, 0, 0, 0, 0, 0,
            .. Encoding.ASCII.GetBytes("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}    "),
            .. new byte[16],
        ];

        SafetensorsFormatException e = Assert.ThrowsExactly<SafetensorsFormatException>(() => SafetensorsFile.Read(reference));

        Assert.AreEqual("test", e.TensorName);
        StringAssert.Contains(e.Message, "dtype \"I32\" is not supported");
    }

    [TestMethod]
    public void ReaderAcceptsUnpaddedHeadersAndAnyKeyOrder()
    {
        // Other writers need not pad or sort; only the layout rules matter.
        byte[] bytes = SafetensorsBytes.Build(
            "{\"y\":{\"data_offsets\":[1,2],\"shape\":[1],\"dtype\":\"BOOL\"},\"x\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[0,1]}}",
            1,
            0);

        IReadOnlyDictionary<string, Tensor> tensors = SafetensorsFile.Read(bytes);

        Assert.IsTrue(tensors["x"].ToArray<bool>()[0]);
        Assert.IsFalse(tensors["y"].ToArray<bool>()[0]);
    }
}
