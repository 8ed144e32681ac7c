using System.Runtime.InteropServices;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.TestSupport;

/// <summary>
/// The determinism rule as a test: one compiled graph run on a session of one thread and on a session of three
/// must produce the same bits, and the three-thread session's workers must have taken part (or the test proves nothing).
/// </summary>
internal static class ThreadCounts
{
    /// <summary>
    /// Runs <paramref name="run"/> on a 1-thread and a 3-thread session of <paramref name="compiled"/>, then asserts
    /// that the tensors <paramref name="observe"/> reads are bitwise equal; returns the 3-thread session's tensors' bytes.
    /// </summary>
    public static byte[][] AssertSameBits(CompiledGraph compiled, Action<Session> run, Func<Session, IEnumerable<Tensor>> observe)
    {
        byte[][] one = Observe(compiled, 1, run, observe, out _);
        byte[][] three = Observe(compiled, 3, run, observe, out long loops);
        Assert.IsGreaterThan(0L, loops, "No worker joined a loop: the kernels under test ran on one thread.");
        Assert.HasCount(one.Length, three);
        for (int i = 0; i < one.Length; i++)
        {
            CollectionAssert.AreEqual(one[i], three[i], $"Tensor {i} differs between 1 and 3 threads.");
        }

        return three;
    }

    /// <summary>A session of <paramref name="graph"/> with <paramref name="roots"/> and readable <paramref name="outputs"/>.</summary>
    public static CompiledGraph Compile(ComputeGraph graph, Value[] roots, Value[]? outputs = null) =>
        GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = roots, Outputs = outputs ?? [] });

    private static byte[][] Observe(CompiledGraph compiled, int threads, Action<Session> run, Func<Session, IEnumerable<Tensor>> observe, out long loops)
    {
        using var session = new Session(compiled, new SessionOptions { Threads = threads });
        run(session);
        byte[][] observed = observe(session).Select(Bytes).ToArray();

        // A worker joins a loop only if it wakes before the caller has run every part (WorkerTeam), which on a busy
        // machine may not happen in one run; later runs show whether these kernels split their work at all.
        for (int retry = 0; retry < 100 && threads > 1 && session.Team.WorkerLoopsJoined == 0; retry++)
        {
            run(session);
        }

        loops = session.Team.WorkerLoopsJoined;
        return observed;
    }

    private static byte[] Bytes(Tensor t) => t.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(t.AsSpan<float>()).ToArray(),
        DType.Float64 => MemoryMarshal.AsBytes(t.AsSpan<double>()).ToArray(),
        DType.Int64 => MemoryMarshal.AsBytes(t.AsSpan<long>()).ToArray(),
        _ => MemoryMarshal.AsBytes(t.AsSpan<bool>()).ToArray(),
    };
}
