namespace Graph.Runtime;

/// <summary>How a session runs.</summary>
public sealed class SessionOptions
{
    /// <summary>
    /// The options sessions get when none are given. Setting the environment variable
    /// <c>GRAPH_POISON_DEAD_BUFFERS=1</c> turns on <see cref="PoisonDeadBuffers"/> here, so a whole test suite can
    /// run poisoned without changing a line.
    /// </summary>
    public static SessionOptions Default { get; } = new()
    {
        PoisonDeadBuffers = Environment.GetEnvironmentVariable("GRAPH_POISON_DEAD_BUFFERS") == "1",
        Profile = Environment.GetEnvironmentVariable("GRAPH_PROFILE") == "1",
    };

    /// <summary>
    /// Fill each intermediate's bytes with NaN (all bits set) as soon as its lifetime ends, so that a memory
    /// planning bug shows as NaN instead of a plausible wrong number. Slower; for tests and debugging.
    /// </summary>
    public bool PoisonDeadBuffers { get; init; }

    /// <summary>
    /// Time every tape unit, for <see cref="Session.Profile"/> (two clock reads a unit; off by default). The environment
    /// variable <c>GRAPH_PROFILE=1</c> turns it on in <see cref="Default"/>.
    /// </summary>
    public bool Profile { get; init; }

    /// <summary>
    /// Run each conv2d that feeds an evaluation-mode batch_norm (and that batch norm's relu, if it has one) as one
    /// kernel, the batch norm and ReLU applied to each output channel as the convolution writes it, when nothing else
    /// reads the intermediate values. The results are bitwise those of the separate steps; on by default, off to
    /// profile or compare the steps one by one.
    /// </summary>
    public bool FuseConvolutions { get; init; } = true;

    /// <summary>
    /// The threads a session's kernels use (matrix products split across them), the calling thread included.
    /// Defaults to the machine's processor count, or the environment variable <c>GRAPH_THREADS</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every session starts its own <c>Threads − 1</c> workers, and the default suits one busy session per process.
    /// Sessions that run at the same time do not share workers: <c>N</c> of them at the default put <c>N</c> times
    /// as many spinning threads on the cores, and each runs slower than it would alone (8 concurrent sessions on 2
    /// cores took 106 s at 2 threads each against 21 s at 1). When several sessions run in parallel, give each
    /// <c>Math.Max(1, Environment.ProcessorCount / N)</c> threads, or 1 when there are at least as many sessions as
    /// cores; set <c>GRAPH_THREADS</c> to change the default for a whole process.
    /// </para>
    /// <para>
    /// The thread count never changes the numbers: every kernel splits its work into parts fixed by the shapes alone,
    /// so results are bitwise the same on any count.
    /// </para>
    /// </remarks>
    public int Threads { get; init; } = DefaultThreads();

    /// <summary>
    /// How many concrete sizes a session of a dynamic graph (-1 in an <c>Input</c> shape) keeps planned: each new size
    /// is planned once (an arena, bound tapes), and a size seen before reuses its plan without allocating. Beyond
    /// this many, the least recently used plan is dropped and its arena returned. At least 1; 8 by default.
    /// </summary>
    public int PlanCacheCapacity { get; init; } = 8;

    private static int DefaultThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("GRAPH_THREADS"), out int threads) && threads > 0 ? threads : Environment.ProcessorCount;
}
