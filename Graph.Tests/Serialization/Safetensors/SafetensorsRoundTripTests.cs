using Graph.Core;
using Graph.Serialization;

namespace Graph.Tests.Serialization.Safetensors;

[TestClass]
public sealed class SafetensorsRoundTripTests
{
    [TestMethod]
    public void EveryDTypeRoundTripsThroughBytes()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = Tensor.FromArray([1.5f, -2.25f, float.MaxValue, float.Epsilon, float.NaN, float.NegativeInfinity], 2, 3),
            ["f64"] = Tensor.FromArray([Math.PI, -0.0, double.MinValue], 3),
            ["i64"] = Tensor.FromArray([long.MinValue, -1L, 0L, long.MaxValue], 2, 1, 2),
            ["bool"] = Tensor.FromArray([true, false, false, true, true], 5),
        };

        IReadOnlyDictionary<string, Tensor> read = SafetensorsFile.Read(SafetensorsFile.ToBytes(tensors));

        AssertSameTensors(tensors, read);
    }

    [TestMethod]
    public void ScalarAndZeroSizeTensorsRoundTrip()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["scalar"] = Tensor.Scalar(42, DType.Int64),
            ["empty"] = Tensor.Zeros(new Shape(0), DType.Float32),
            ["empty2d"] = Tensor.Zeros(new Shape(3, 0), DType.Float64),
            ["empty_bool"] = Tensor.Zeros(new Shape(0, 4), DType.Bool),
            ["after"] = Tensor.FromArray([7.0f, 8.0f]),
        };

        IReadOnlyDictionary<string, Tensor> read = SafetensorsFile.Read(SafetensorsFile.ToBytes(tensors));

        AssertSameTensors(tensors, read);
        Assert.AreEqual(0, read["scalar"].Shape.Rank);
        Assert.AreEqual(42.0, read["scalar"].Item());
    }

    [TestMethod]
    public void NoTensorsRoundTrips()
    {
        byte[] bytes = SafetensorsFile.ToBytes([]);

        Assert.AreEqual(0, SafetensorsFile.Read(bytes).Count);
    }

    [TestMethod]
    public void MetadataRoundTrips()
    {
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\" a+b<c>" };

        byte[] bytes = SafetensorsFile.ToBytes([new("w", Tensor.FromArray([1.0f]))], metadata);
        (IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> read) = SafetensorsFile.ReadWithMetadata(bytes);

        CollectionAssert.AreEquivalent(metadata.ToList(), read.ToList());
        Assert.AreEqual(1, tensors.Count);
    }

    [TestMethod]
    public void UnusualNamesRoundTrip()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            [string.Empty] = Tensor.FromArray([1.0f]),
            ["layer.0/weight \"x\"\\n"] = Tensor.FromArray([2.0f]),
            ["ünï😀"] = Tensor.FromArray([3.0f]),
        };

        AssertSameTensors(tensors, SafetensorsFile.Read(SafetensorsFile.ToBytes(tensors)));
    }

    [TestMethod]
    public void OutputIsSortedAndDeterministicWhateverTheInputOrder()
    {
        Tensor a = Tensor.FromArray([1.0f, 2.0f]);
        Tensor b = Tensor.FromArray([3L]);
        var metadataOne = new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" };
        var metadataTwo = new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" };

        byte[] one = SafetensorsFile.ToBytes([new("b", b), new("a", a)], metadataOne);
        byte[] two = SafetensorsFile.ToBytes([new("a", a), new("b", b)], metadataTwo);

        CollectionAssert.AreEqual(one, two);
        string header = System.Text.Encoding.UTF8.GetString(one, 8, (int)BitConverter.ToUInt64(one, 0));
        Assert.IsLessThan(header.IndexOf("\"b\"", StringComparison.Ordinal), header.IndexOf("\"a\"", StringComparison.Ordinal));
    }

    [TestMethod]
    public void HeaderIsPaddedWithSpacesToEightBytes()
    {
        for (int nameLength = 1; nameLength <= 8; nameLength++)
        {
            byte[] bytes = SafetensorsFile.ToBytes([new(new string('n', nameLength), Tensor.FromArray([1.0f]))]);
            ulong headerLength = BitConverter.ToUInt64(bytes, 0);

            Assert.AreEqual(0UL, headerLength % 8, $"name length {nameLength}");
            Assert.AreEqual((byte)'}', bytes[8 + bytes.AsSpan(8, (int)headerLength).TrimEnd((byte)' ').Length - 1]);
        }
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        Tensor t = Tensor.FromArray([1.0f]);

        Assert.ThrowsExactly<ArgumentNullException>(() => SafetensorsFile.ToBytes(null!));
        Assert.ThrowsExactly<ArgumentException>(() => SafetensorsFile.ToBytes([new("a", t), new("a", t)]));
        Assert.ThrowsExactly<ArgumentException>(() => SafetensorsFile.ToBytes([new("__metadata__", t)]));
        Assert.ThrowsExactly<ArgumentException>(() => SafetensorsFile.ToBytes([new("a", null!)]));
        Assert.ThrowsExactly<ArgumentException>(() => SafetensorsFile.ToBytes([new(null!, t)]));
        Assert.ThrowsExactly<ArgumentException>(() => SafetensorsFile.ToBytes([], new Dictionary<string, string> { ["k"] = null! }));
    }

    internal static void AssertSameTensors(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        CollectionAssert.AreEquivalent(expected.Keys.ToList(), actual.Keys.ToList());
        foreach ((string name, Tensor want) in expected)
        {
            Tensor got = actual[name];
            Assert.AreEqual(want.DType, got.DType, name);
            Assert.AreEqual(want.Shape, got.Shape, name);

            // Compare bit patterns so NaN and -0.0 count as preserved.
            CollectionAssert.AreEqual(Bits(want), Bits(got), name);
        }
    }

    private static long[] Bits(Tensor t) => t.DType switch
    {
        DType.Float32 => t.ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray(),
        DType.Float64 => t.ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray(),
        DType.Int64 => t.ToArray<long>(),
        _ => t.ToArray<bool>().Select(v => v ? 1L : 0L).ToArray(),
    };
}
