using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// A file may make a session allocate only so much beyond what it stores (GraphFormat.MaxSessionBytes), and the
/// loader checks that before it allocates: small files that ask for gigabytes of inputs or convolution scratch are
/// refused, and a device that never ends is not read until memory runs out.
/// </summary>
[TestClass]
public sealed class LoadMemoryBoundTests
{
    private const long SmallAllocation = 4L << 20;

    [TestMethod]
    public void ADeviceThatNeverEnds_IsRefusedWithoutReadingIt()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        GraphFormatException e = Assert.ThrowsExactly<GraphFormatException>(() => GraphFile.Load("/dev/zero"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        StringAssert.Contains(e.Reason, "not a regular file");
        Assert.IsTrue(allocated < SmallAllocation, $"refusing /dev/zero allocated {allocated} bytes");
    }

    [TestMethod]
    public void ANamedPipe_IsRefusedWithoutWaitingForAWriter()
    {
        using var directory = new TemporaryDirectory();
        string pipe = directory.File("pipe.graph");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe))
        {
            mkfifo.WaitForExit();
            Assert.AreEqual(0, mkfifo.ExitCode, "mkfifo failed");
        }

        // Opening a pipe for reading blocks until a writer opens it; a loader that opens it never returns.
        Task<Exception?> load = Task.Run(() => Catch(() => GraphFile.Load(pipe)));
        bool finished = load.Wait(TimeSpan.FromSeconds(30));
        if (!finished)
        {
            using var writer = new FileStream(pipe, FileMode.Open, FileAccess.Write); // releases the blocked reader
        }

        Assert.IsTrue(finished, "loading a named pipe blocked");
        Assert.IsInstanceOfType<GraphFormatException>(load.Result);
        StringAssert.Contains(((GraphFormatException)load.Result!).Reason, "not a regular file");
    }

    [TestMethod]
    public void ASmallFileAskingForGigabytesOfInputs_IsRefusedBeforeAnythingIsAllocated()
    {
        // Five 1 GiB inputs summed: a file of a few hundred bytes whose session would need 6 GiB.
        var g = new GraphBuilder();
        Value sum = g.Input("x0", new Shape(1 << 28));
        for (int i = 1; i < 5; i++)
        {
            sum += g.Input($"x{i}", new Shape(1 << 28));
        }

        AssertRefusedCheaply(Compile(g, sum.Named("sum")), "inputs");
    }

    [TestMethod]
    public void ConvolutionScratch_CountsAgainstTheBound()
    {
        // A 145×145 kernel over a 289×289 image: the tensors are a few hundred kilobytes, one sample's im2col columns
        // 21,025 × 21,025 floats (1.8 GB, under the one-buffer limit the builder enforces); with two 1.5 GiB inputs the
        // tensors fit the bound, and only the scratch takes the session past it.
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(1, 1, 289, 289));
        Value w = g.Parameter("w", Tensor.Zeros(new Shape(1, 1, 145, 145)));
        const int Big = (1 << 28) + (1 << 27);
        Value total = g.Input("big0", new Shape(Big)).Sum() + g.Input("big1", new Shape(Big)).Sum();
        CompiledGraph compiled = Compile(g, (Ops.Conv2d(x, w, bias: null).Sum() + total).Named("y"));
        long inputs = compiled.Graph.Values.Where(v => v.Kind == ValueKind.Input).Sum(v => v.Type.ByteCount);
        Assert.IsTrue(compiled.Memory.ArenaBytes + inputs < GraphFormat.MaxSessionBytes, "the tensors alone fit the bound");
        AssertRefusedCheaply(compiled, "convolution scratch");
    }

    [TestMethod]
    public void AGraphWithinTheBound_StillLoadsAndRuns()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(1, 2, 9, 9));
        Value w = g.Parameter("w", Tensor.Randn(new Shape(3, 2, 3, 3), seed: 4));
        byte[] file = GraphFileWriter.ToBytes(Compile(g, Ops.Conv2d(x, w, bias: null, padding: 1).Sum().Named("y")), session: null);
        Assert.IsTrue(GraphFileSamples.TryLoadAndRun(file));
    }

    private static void AssertRefusedCheaply(CompiledGraph compiled, string reason)
    {
        byte[] file = GraphFileWriter.ToBytes(compiled, session: null);
        long before = GC.GetAllocatedBytesForCurrentThread();
        GraphFormatException e = Assert.ThrowsExactly<GraphFormatException>(() => GraphFileReader.Read(file));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        StringAssert.Contains(e.Reason, $"more than the {GraphFormat.MaxSessionBytes}");
        StringAssert.Contains(e.Reason, reason);
        Assert.IsTrue(allocated < SmallAllocation, $"refusing a {file.Length}-byte file allocated {allocated} bytes");
    }

    private static Exception? Catch(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static CompiledGraph Compile(GraphBuilder g, Value output) =>
        GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [output] });
}
