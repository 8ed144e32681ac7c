using Google.Protobuf;
using Graph.Core;
using Graph.Onnx;
using static Graph.Tests.Onnx.OnnxModels;
using Proto = global::Onnx;

namespace Graph.Tests.Onnx;

/// <summary>
/// Damaged and hostile .onnx files, as the .graph loader is fuzzed: importing either succeeds or throws
/// OnnxFormatException, never another exception, a hang or a large allocation.
/// </summary>
[TestClass]
public sealed class OnnxHostileInputTests
{
    private const long MaxAllocatedBytesPerFile = 64L << 20;

    [TestMethod]
    public void EveryTruncation_IsRejectedOrImports()
    {
        byte[] file = OnnxSamples.SmallCnn().ToByteArray();
        int rejected = 0;
        for (int length = 0; length < file.Length; length++)
        {
            rejected += TryImport(file[..length]) ? 0 : 1;
        }

        // A protobuf message cut between two fields is itself a message: most cuts still fail, for want of a node's input.
        Assert.IsTrue(rejected > file.Length / 2, $"only {rejected} of {file.Length} truncations were rejected");
        Assert.IsTrue(TryImport(file), "the whole file imports");
    }

    [TestMethod]
    public void RandomMutations_OnlyEverThrowOnnxFormatException() => Fuzz(3_000, seed: 20_261_203);

    [TestMethod]
    [TestCategory("Long")]
    public void RandomMutations_LongRun() => Fuzz(100_000, seed: 20_261_204);

    [TestMethod]
    public void ATensorDeclaringMoreElementsThanItsBytes_IsRefusedBeforeAllocating()
    {
        var huge = new Proto.TensorProto { Name = "w", DataType = (int)Proto.TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[16]) };
        huge.Dims.AddRange([1 << 30, 1 << 30]);
        var model = Model([Input("x", 2)], [Node("Add", ["x", "w"], ["y"])], ["y"], [huge]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => Run(model));
        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < MaxAllocatedBytesPerFile, "the declared size was allocated");
        StringAssert.Contains(e.Message, "initializer 'w'");
    }

    [TestMethod]
    public void ACycle_IsRefusedAndNamesTheNode()
    {
        var model = Model([Input("x", 2)], [Node("Add", ["x", "b"], ["a"]), Node("Relu", ["a"], ["b"])], ["b"]);
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => Run(model));
        StringAssert.Contains(e.Message, "node 'add_a' (Add, opset 17)");
        StringAssert.Contains(e.Message, "'b'");
    }

    [TestMethod]
    public void AnUnsupportedOp_NamesTheNodeTheOpTypeAndTheOpset()
    {
        var model = Model([Input("x", 2, 3)], [Node("TopK", ["x", "k"], ["v", "i"])], ["v"], [IntsInitializer("k", 1)], opset: 15);
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => Run(model));
        StringAssert.Contains(e.Message, "node 'topk_v' (TopK, opset 15)");
        StringAssert.Contains(e.Message, "Graph does not import TopK");
    }

    [TestMethod]
    public void AnAttributeOfTheWrongType_IsRefusedByName()
    {
        var wrong = new Proto.AttributeProto { Name = "axis", Type = Proto.AttributeProto.Types.AttributeType.Float, F = 1 };
        var model = Model([Input("x", 2, 3)], [Node("Softmax", ["x"], ["y"], wrong)], ["y"]);
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => Run(model));
        StringAssert.Contains(e.Message, "attribute 'axis' is float");
    }

    [TestMethod]
    public void NestingBeyondProtobufsRecursionLimit_IsRefused()
    {
        var graph = new Proto.GraphProto { Name = "inner" };
        for (int depth = 0; depth < 200; depth++)
        {
            var node = new Proto.NodeProto { OpType = "If" };
            node.Attribute.Add(new Proto.AttributeProto { Name = "then_branch", Type = Proto.AttributeProto.Types.AttributeType.Graph, G = graph });
            graph = new Proto.GraphProto { Name = $"level{depth}" };
            graph.Node.Add(node);
        }

        var model = new Proto.ModelProto { IrVersion = 8, Graph = graph };
        Assert.IsFalse(TryImport(model.ToByteArray()));
    }

    [TestMethod]
    public void AnEmptyFileAndADevice_AreRefused()
    {
        Assert.ThrowsExactly<OnnxFormatException>(() => Graph.Onnx.Onnx.Import(new GraphBuilder(), "/dev/zero"));
        Assert.IsFalse(TryImport([]));
    }

    private static void Fuzz(int files, int seed)
    {
        byte[] sample = OnnxSamples.SmallCnn().ToByteArray();
        var random = new Random(seed);
        for (int n = 0; n < files; n++)
        {
            byte[] mutated = (byte[])sample.Clone();
            int edits = 1 + random.Next(4);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(mutated.Length);
                mutated[at] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)(mutated[at] ^ (1 << random.Next(8))),
                    _ => (byte)(mutated[at] + (random.Next(2) == 0 ? 1 : -1)),
                };
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            TryImport(mutated);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.IsTrue(allocated < MaxAllocatedBytesPerFile, $"mutation {n} allocated {allocated} bytes");
        }
    }

    /// <summary>True when <paramref name="bytes"/> import; false when they throw OnnxFormatException; any other exception fails the test.</summary>
    private static bool TryImport(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"graph-onnx-fuzz-{Environment.CurrentManagedThreadId}.onnx");
        try
        {
            File.WriteAllBytes(path, bytes);
            Graph.Onnx.Onnx.Import(new GraphBuilder(), path);
            return true;
        }
        catch (OnnxFormatException)
        {
            return false;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
