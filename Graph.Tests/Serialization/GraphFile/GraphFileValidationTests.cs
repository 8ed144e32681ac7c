using Graph.Core;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>Each check of the loader, one defect at a time, with a valid checksum so that the check itself must fire.</summary>
[TestClass]
public sealed class GraphFileValidationTests
{
    // Q's values: 0 a, 1 b, 2 a³, 3 the constant 3, 4 3·a³, 5 b², 6 Q, 7 Q.grad_seed, then the backward values.
    private static readonly byte[] s_file = GraphFileSamples.QSession();

    [TestMethod]
    public void TheSampleLoads() => Assert.IsTrue(GraphFileSamples.TryLoad(s_file));

    [TestMethod]
    public void NewerMajorVersion_IsRefused_NamingBothVersions()
    {
        byte[] file = WithEnvelope(e => e["version"] = new List<object?> { 2L, 3L });
        GraphFormatException e = Reject(file, "newer than");
        StringAssert.Contains(e.Reason, "2.3");
        StringAssert.Contains(e.Reason, GraphFormat.VersionText);
    }

    [TestMethod]
    public void NewerMinorVersion_WithUnknownFields_Loads()
    {
        byte[] edited = GraphFileDocument.Edit(s_file, c =>
        {
            c["future_section"] = new DocMap { new("anything", new List<object?> { 1L, "two" }) };
            Value(c, 0)["future_field"] = 3.5;
            c.Map("memory")["future_field"] = true;
        });
        byte[] file = WithEnvelope(e => e["version"] = new List<object?> { 1L, 9L }, edited);

        Assert.IsTrue(GraphFileSamples.TryLoad(file));
        Assert.AreEqual(new Version(1, 9), GraphFileReader.Read(file).Version);
    }

    [TestMethod]
    public void WrongMagic_IsRefused() => Reject(WithEnvelope(e => e["format"] = "safetensors"), "not 'graph'");

    [TestMethod]
    public void DamagedContent_FailsTheChecksum()
    {
        byte[] file = (byte[])s_file.Clone();
        (_, int start, int length) = GraphEnvelope.Read(file);
        file[start + (length / 2)] ^= 0x20;
        GraphFormatException e = Reject(file, "CRC-32C");
        Assert.AreEqual(file.Length - 5, e.Offset, "the checksum's own offset: the last field of the outer map");
    }

    [TestMethod]
    public void TrailingBytes_AreRefused() => Reject([.. s_file, 0x00], "follow the file's outer map");

    [TestMethod]
    public void UnknownOp_IsRefused() => Reject(Edit(c => Value(c, 2)["op"] = "frobnicate"), "unknown op 'frobnicate'");

    [TestMethod]
    public void StoredShapeDifferentFromInferred_IsRefused() =>
        Reject(Edit(c => Value(c, 4)["shape"] = new List<object?> { 1L }), "is stored as float32[1], but mul of its inputs gives float32[2]");

    [TestMethod]
    public void AttributeOfWrongType_IsRefused() =>
        Reject(Edit(c => Value(c, 2)["attributes"] = Attribute("exponent", "int", 3L)), "attribute 'exponent' is a Int32, not a Double");

    [TestMethod]
    public void AttributeOfUnknownType_IsRefused() =>
        Reject(Edit(c => Value(c, 2)["attributes"] = Attribute("exponent", "quaternion", 3L)), "unknown type 'quaternion'");

    [TestMethod]
    public void IdsOutOfOrder_AreRefused() => Reject(Edit(c => Value(c, 1)["id"] = 5L), "ids must be dense");

    [TestMethod]
    public void InputReferringToALaterValue_IsRefused() =>
        Reject(Edit(c => Value(c, 2)["inputs"] = new List<object?> { 3L }), "inputs must be earlier values");

    [TestMethod]
    public void DuplicateName_IsRefused() => Reject(Edit(c => Value(c, 1)["name"] = "a"), "The name 'a' is taken");

    [TestMethod]
    public void RankAboveTheLimit_IsRefused() =>
        Reject(Edit(c => Value(c, 0)["shape"] = Enumerable.Repeat<object?>(1L, 9).ToList()), "rank 9");

    [TestMethod]
    public void TensorLargerThanTheLimit_IsRefused() =>
        Reject(Edit(c => Value(c, 0)["shape"] = new List<object?> { 65536L, 65536L }), "more than the");

    [TestMethod]
    public void ParameterDataOfTheWrongLength_IsRefused() =>
        Reject(Edit(c => Value(c, 0)["data"] = new byte[4]), "its data has 4 bytes");

    [TestMethod]
    public void BoolConstantHoldingTwo_IsRefused()
    {
        var g = new GraphBuilder();
        Value mask = g.Constant(Tensor.FromArray([true, false]), "mask");
        Value x = g.Input("x", new Shape(2), DType.Bool);
        Value equal = mask.Equal(x);
        byte[] file = GraphFileWriter.ToBytes(Graph.Compiler.GraphCompiler.Compile(g.Build(), new Graph.Compiler.CompileOptions { Outputs = [equal] }), null);
        Reject(GraphFileDocument.Edit(file, c => Value(c, 0)["data"] = new byte[] { 1, 2 }), "other than 0 and 1");
    }

    [TestMethod]
    public void IntegerParameterRequiringGradient_IsRefused() =>
        Reject(Edit(c =>
        {
            Value(c, 0)["dtype"] = "int64";
            Value(c, 0)["data"] = new byte[16];
        }), "cannot require a gradient");

    [TestMethod]
    public void ForwardStepBeforeItsInput_IsRefused() =>
        Reject(Edit(c => c.Array("forward").Reverse()), "which is not computed before it");

    [TestMethod]
    public void ForwardStepTwice_IsRefused() =>
        Reject(Edit(c => c.Array("forward").Add(c.Array("forward")[0])), "computed by an earlier step");

    [TestMethod]
    public void OutputNoTapeComputes_IsRefused() =>
        Reject(Edit(c => c.Array("outputs").Add(c.Map("memory").Array("buffers").Cast<List<object?>>().Last()[0])), "which the forward tape does not compute");

    [TestMethod]
    public void SeedOfTheWrongKind_IsRefused() =>
        Reject(Edit(c => ((DocMap)c.Array("backward")[0]!)["seed"] = 0L), "is not a gradient seed");

    [TestMethod]
    public void AccumulationIntoAValueWithoutGradient_IsRefused() =>
        Reject(Edit(c => ((List<object?>)((DocMap)c.Array("backward")[0]!).Array("accumulations")[0]!)[0] = 3L), "keeps no gradient");

    [TestMethod]
    public void OverlappingBuffers_AreRefusedByTheVerifier() =>
        Reject(Edit(c =>
        {
            foreach (List<object?> buffer in c.Map("memory").Array("buffers").Cast<List<object?>>())
            {
                buffer[1] = 0L;
            }
        }), "the memory plan is unsound");

    [TestMethod]
    public void ArenaLargerThanTheBuffersCouldNeed_IsRefused() =>
        Reject(Edit(c => c.Map("memory")["arena_bytes"] = 1L << 30), "exceeds what the");

    [TestMethod]
    public void ArenaAboveTheLimit_IsRefused() =>
        Reject(Edit(c => c.Map("memory")["arena_bytes"] = 16L << 30), "the arena is");

    [TestMethod]
    public void WrongTapeStarts_AreRefused() =>
        Reject(Edit(c => c.Map("memory")["tape_starts"] = new List<object?> { 0L, 1L }), "the tapes start at steps");

    [TestMethod]
    public void BufferForALeaf_IsRefused() =>
        Reject(Edit(c => ((List<object?>)c.Map("memory").Array("buffers")[0]!)[0] = 0L), "which no tape computes");

    [TestMethod]
    public void MissingSection_IsRefused() => Reject(Edit(c => c.Remove("memory")), "the content has no 'memory'");

    [TestMethod]
    public void RepeatedKey_IsRefused() => Reject(Edit(c => c.Add(new("forward", new List<object?>()))), "has the key 'forward' twice");

    [TestMethod]
    public void CountLargerThanTheFile_IsRefused()
    {
        // {"values": array32 of 2³¹ − 1 values}, with none behind the header: rejected before anything is allocated.
        byte[] hostile = [0x81, 0xa6, .. "values"u8, 0xdd, 0x7f, 0xff, 0xff, 0xff];
        Reject(GraphFileDocument.Envelope(hostile), "declares 2147483647 values");
    }

    [TestMethod]
    public void OptimizerSlotOfAnUnknownParameter_IsRefused() =>
        Reject(Edit(c => ((List<object?>)c.Map("session").Map("optimizer").Array("slots")[0]!)[0] = "nobody"), "'nobody', which is not a parameter");

    [TestMethod]
    public void OptimizerSlotOfTheWrongSize_IsRefused() =>
        Reject(Edit(c => ((List<object?>)c.Map("session").Map("optimizer").Array("slots")[0]!)[2] = new byte[3]), "its data has 3 bytes");

    [TestMethod]
    public void NegativeStepCount_IsRefused() =>
        Reject(Edit(c => c.Map("session").Map("optimizer").Array("steps").Add(new List<object?> { "a", -1L })), "negative or repeated");

    private static DocMap Value(DocMap content, int id) => (DocMap)content.Array("values")[id]!;

    private static DocMap Attribute(string name, string type, object value) =>
        [new(name, new DocMap { new(type, value) })];

    private static byte[] Edit(Action<DocMap> edit) => GraphFileDocument.Edit(s_file, edit);

    // Edits the outer map of the file, keeping the content and its checksum.
    private static byte[] WithEnvelope(Action<DocMap> edit, byte[]? file = null)
    {
        var reader = new BoundedReader(file ?? s_file);
        var envelope = (DocMap)GraphFileDocument.Decode(ref reader)!;
        edit(envelope);
        return GraphFileDocument.Encode(envelope);
    }

    private static GraphFormatException Reject(byte[] file, string reason)
    {
        GraphFormatException e = Assert.ThrowsExactly<GraphFormatException>(() => GraphFileSamples.TryLoadOrThrow(file));
        StringAssert.Contains(e.Reason, reason);
        Assert.IsTrue(e.Offset >= 0 && e.Offset < file.Length, $"offset {e.Offset} of a {file.Length}-byte file");
        StringAssert.StartsWith(e.Message, $"Invalid .graph file at byte {e.Offset}: ");
        return e;
    }
}
