using System.Buffers.Binary;
using Graph.Core;
using Graph.Serialization;

namespace Graph.Tests.Serialization.Safetensors;

[TestClass]
public sealed class SafetensorsValidationTests
{
    private static readonly byte[] s_eightBytes = new byte[8];

    [TestMethod]
    public void EveryTruncationIsAFormatError()
    {
        byte[] whole = SafetensorsFile.ToBytes(
            [new("a", Tensor.FromArray([1.0f, 2.0f, 3.0f])), new("b", Tensor.FromArray([true, false])), new("c", Tensor.Scalar(5, DType.Float64))],
            new Dictionary<string, string> { ["k"] = "v" });

        for (int length = 0; length < whole.Length; length++)
        {
            byte[] prefix = whole[..length];
            Assert.ThrowsExactly<SafetensorsFormatException>(() => SafetensorsFile.Read(prefix), $"length {length}");
        }

        Assert.AreEqual(3, SafetensorsFile.Read(whole).Count);
    }

    [TestMethod]
    public void ShortFileNamesTheHeaderLength()
    {
        AssertFormatError(new byte[5], null, "shorter than the 8-byte header length");
    }

    [TestMethod]
    public void HeaderLengthPastTheEndIsRejectedBeforeAllocating()
    {
        byte[] bytes = SafetensorsBytes.Build("{}");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 50_000_000);

        AssertFormatError(bytes, null, "header length is 50000000 bytes but only 2 bytes follow");
    }

    [TestMethod]
    public void HugeHeaderLengthIsRejected()
    {
        byte[] bytes = SafetensorsBytes.Build("{}");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);

        AssertFormatError(bytes, null, "more than the 100000000 allowed");
    }

    [TestMethod]
    public void BadJsonIsAFormatError()
    {
        AssertFormatError(SafetensorsBytes.Build("{\"a\": {"), null, "not well-formed JSON");
        AssertFormatError(SafetensorsBytes.Build(string.Empty), null, "not well-formed JSON");
        AssertFormatError(SafetensorsBytes.Build("{} {}"), null, "not well-formed JSON");
        AssertFormatError(SafetensorsBytes.Build("{\"a\":1,}"), null, "not well-formed JSON");
        AssertFormatError(SafetensorsBytes.Build("[]"), null, "must be a JSON object, not an array");
        AssertFormatError(SafetensorsBytes.Build([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], []), null, "not valid UTF-8");
    }

    [TestMethod]
    public void UnsupportedDTypeNamesTensorAndDType()
    {
        byte[] bytes = SafetensorsBytes.Build("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 0, 0, 0, 0);

        SafetensorsFormatException e = AssertFormatError(bytes, "w", "dtype \"BF16\" is not supported");
        StringAssert.Contains(e.Message, "F32, F64, I64 and BOOL");
        StringAssert.Contains(e.Message, "tensor 'w'");
    }

    [TestMethod]
    public void DTypeCodesAreCaseSensitive()
    {
        AssertFormatError(SafetensorsBytes.Build("{\"w\":{\"dtype\":\"f32\",\"shape\":[],\"data_offsets\":[0,4]}}", s_eightBytes[..4]), "w", "dtype \"f32\"");
    }

    [TestMethod]
    public void ShapeThatDisagreesWithOffsetsIsRejected()
    {
        byte[] bytes = SafetensorsBytes.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", s_eightBytes);

        AssertFormatError(bytes, "w", "shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] span 8");
    }

    [TestMethod]
    public void ShapeWhoseProductOverflowsIsRejected()
    {
        const string Dims = "[2147483647,2147483647,2147483647,2147483647,2147483647]";
        byte[] bytes = SafetensorsBytes.Build("{\"w\":{\"dtype\":\"F64\",\"shape\":" + Dims + ",\"data_offsets\":[0,8]}}", s_eightBytes);

        AssertFormatError(bytes, "w", "needs more than");
    }

    [TestMethod]
    public void ShapeWhoseProductWrapsToZeroIsRejected()
    {
        // 4 × (2^30)^5 = 2^152, which is 0 modulo 2^64 and 2^128: a product taken whole would match [0, 0].
        const string Dims = "[1073741824,1073741824,1073741824,1073741824,1073741824]";
        byte[] bytes = SafetensorsBytes.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":" + Dims + ",\"data_offsets\":[0,0]}}");

        AssertFormatError(bytes, "w", "needs more than the 2147483583 bytes a Graph tensor can hold");
    }

    [TestMethod]
    public void ZeroSizedShapeWithHugeDimensionsIsFine()
    {
        byte[] bytes = SafetensorsBytes.Build("{\"w\":{\"dtype\":\"F64\",\"shape\":[0,2147483647,2147483647],\"data_offsets\":[0,0]}}");

        Assert.AreEqual(0, SafetensorsFile.Read(bytes)["w"].ElementCount);
    }

    [TestMethod]
    public void RandomCorruptionGivesOnlyFormatErrors()
    {
        byte[] whole = SafetensorsFile.ToBytes(
            [new("a", Tensor.FromArray([1.0f, 2.0f])), new("b", Tensor.FromArray([true])), new("c", Tensor.FromArray([3L, 4L], 1, 2))],
            new Dictionary<string, string> { ["k"] = "v" });
        var random = new SeededRandom(12345);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] bytes = (byte[])whole.Clone();
            int flips = 1 + random.NextInt(3);
            for (int f = 0; f < flips; f++)
            {
                bytes[random.NextInt(bytes.Length)] = (byte)random.NextInt(256);
            }

            try
            {
                SafetensorsFile.Read(bytes);
            }
            catch (SafetensorsFormatException)
            {
                rejected++;
            }
        }

        // Data bytes can change freely, so some mutants are valid; header damage must be caught, never crash.
        Assert.IsGreaterThan(1000, rejected);
    }

    [TestMethod]
    public void BadShapesAreRejected()
    {
        AssertFormatError(Entry("\"F32\"", "[-1]", "[0,0]"), "w", "dimension 0 is -1");
        AssertFormatError(Entry("\"F32\"", "[1.5]", "[0,0]"), "w", "dimension 0 is 1.5");
        AssertFormatError(Entry("\"F32\"", "[\"2\"]", "[0,0]"), "w", "dimension 0 is \"2\"");
        AssertFormatError(Entry("\"F32\"", "[4294967296]", "[0,0]"), "w", "at most 2147483647");
        AssertFormatError(Entry("\"F32\"", "2", "[0,0]"), "w", "\"shape\" must be an array");
    }

    [TestMethod]
    public void BadOffsetsAreRejected()
    {
        AssertFormatError(Entry("\"F32\"", "[1]", "[0]"), "w", "\"data_offsets\" must be [begin, end]");
        AssertFormatError(Entry("\"F32\"", "[1]", "[-4,0]"), "w", "two integers of 0 or more");
        AssertFormatError(Entry("\"F32\"", "[1]", "[4,0]"), "w", "end before they begin");
        AssertFormatError(Entry("\"F32\"", "[1]", "[0,12]"), "w", "run past the end of the 8-byte data section");
    }

    [TestMethod]
    public void MissingAndUnknownFieldsAreRejected()
    {
        AssertFormatError(SafetensorsBytes.Build("{\"w\":{\"shape\":[],\"data_offsets\":[0,4]}}", s_eightBytes[..4]), "w", "no \"dtype\"");
        AssertFormatError(SafetensorsBytes.Build("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", s_eightBytes[..4]), "w", "no \"shape\"");
        AssertFormatError(SafetensorsBytes.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[]}}", s_eightBytes[..4]), "w", "no \"data_offsets\"");
        AssertFormatError(SafetensorsBytes.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"extra\":1}}", s_eightBytes[..4]), "w", "unknown field \"extra\"");
        AssertFormatError(SafetensorsBytes.Build("{\"w\":[]}"), "w", "must be an object");
        AssertFormatError(SafetensorsBytes.Build("{\"w\":{\"dtype\":7,\"shape\":[],\"data_offsets\":[0,4]}}", s_eightBytes[..4]), "w", "\"dtype\" must be a string");
    }

    [TestMethod]
    public void OverlappingOffsetsNameBothTensors()
    {
        byte[] bytes = SafetensorsBytes.Build(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            s_eightBytes);

        SafetensorsFormatException e = AssertFormatError(bytes, "b", "overlap those of 'a' [0, 8]");
        StringAssert.Contains(e.Message, "[4, 8]");
    }

    [TestMethod]
    public void EmptyTensorInsideAnotherOverlaps()
    {
        byte[] bytes = SafetensorsBytes.Build(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}",
            s_eightBytes);

        AssertFormatError(bytes, "e", "overlap");
    }

    [TestMethod]
    public void HolesAndTrailingBytesAreRejected()
    {
        AssertFormatError(
            SafetensorsBytes.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", s_eightBytes),
            "a",
            "leave bytes [0, 4) of the data section unused");
        AssertFormatError(
            SafetensorsBytes.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", s_eightBytes),
            null,
            "cover 4 bytes but the data section has 8");
    }

    [TestMethod]
    public void DuplicateNamesAreRejected()
    {
        byte[] bytes = SafetensorsBytes.Build(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            s_eightBytes);

        AssertFormatError(bytes, "a", "appears more than once");
    }

    [TestMethod]
    public void BadMetadataIsRejected()
    {
        AssertFormatError(SafetensorsBytes.Build("{\"__metadata__\":{\"k\":1}}"), null, "entry \"k\" must be a string, not a number");
        AssertFormatError(SafetensorsBytes.Build("{\"__metadata__\":[]}"), null, "must be an object of strings");
        AssertFormatError(SafetensorsBytes.Build("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}"), null, "key \"k\" more than once");
    }

    [TestMethod]
    public void BoolBytesOtherThanZeroOrOneAreRejected()
    {
        byte[] bytes = SafetensorsBytes.Build("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", 1, 0, 2);

        AssertFormatError(bytes, "m", "BOOL element 2 is byte 2");
    }

    [TestMethod]
    public void FileErrorsNameTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"graph-bad-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Build("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 0, 0));
        try
        {
            SafetensorsFormatException e = Assert.ThrowsExactly<SafetensorsFormatException>(() => SafetensorsFile.Read(path));

            Assert.AreEqual(path, e.FilePath);
            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "\"F16\"");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ARankAboveEight_IsRejected() =>
        AssertFormatError(Entry("\"F32\"", "[1,1,1,1,1,1,1,1,1]", "[0,4]"), null, "an array of more than 8 elements");

    [TestMethod]
    public void AnEmptyTensorOfAHugeRank_IsRejectedCheaply()
    {
        // A million zero dimensions: no data, yet a million-element shape; refused before it is parsed into a document.
        string shape = "[" + string.Join(",", Enumerable.Repeat("0", 1_000_000)) + "]";
        byte[] bytes = SafetensorsBytes.Build($"{{\"w\":{{\"dtype\":\"F32\",\"shape\":{shape},\"data_offsets\":[0,0]}}}}");
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertFormatError(bytes, null, "an array of more than 8 elements");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.IsTrue(allocated < 3L * bytes.Length, $"refusing a {bytes.Length}-byte file allocated {allocated} bytes");
    }

    private static byte[] Entry(string dtype, string shape, string offsets) =>
        SafetensorsBytes.Build($"{{\"w\":{{\"dtype\":{dtype},\"shape\":{shape},\"data_offsets\":{offsets}}}}}", s_eightBytes);

    private static SafetensorsFormatException AssertFormatError(byte[] bytes, string? tensorName, string reasonPart)
    {
        SafetensorsFormatException e = Assert.ThrowsExactly<SafetensorsFormatException>(() => SafetensorsFile.Read(bytes));
        StringAssert.Contains(e.Message, reasonPart);
        StringAssert.Contains(e.Reason, reasonPart);
        Assert.AreEqual(tensorName, e.TensorName);
        Assert.IsNull(e.FilePath);
        return e;
    }
}
