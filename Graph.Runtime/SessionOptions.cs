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
    /// Run the forward tape's epilogue runs as one kernel each (<c>EpilogueRuns</c> in ARCHITECTURE.md): a conv2d that
    /// feeds an evaluation-mode batch_norm (and that batch norm's relu, if it has one), the batch norm and ReLU applied
    /// to each output channel as the convolution writes it; and a linear layer's matmul → bias add (→ relu), the bias
    /// and ReLU applied to each block of the product as the GEMM finishes it. Only where nothing else reads the
    /// intermediate values. The results are bitwise those of the separate steps; on by default, off to profile or
    /// compare the steps one by one.
    /// </summary>
    public bool FuseEpilogues { get; init; } = true;

    /// <summary>
    /// The most threads one parallel loop of a session's kernels uses (matrix products and large elementwise steps
    /// split across them), the calling thread included. Defaults to the machine's processor count, or the environment
    /// variable <c>GRAPH_THREADS</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Sessions start no threads of their own: every session of the process borrows its workers from one shared pool of
    /// <c>Environment.ProcessorCount − 1</c> background threads, loop by loop, and at most
    /// <c>Environment.ProcessorCount</c> threads work on parallel loops at once, the calling threads included. A loop
    /// borrows the idle workers it can get, up to <c>Threads − 1</c>, and runs the rest of its parts on the calling
    /// thread; when the budget is spent (other sessions' loops hold every core), it runs on the calling thread alone.
    /// So many sessions running in parallel need no tuning: at the default, each gets the cores the others leave idle,
    /// and together they never put more busy threads on the cores than there are. Lower <c>Threads</c> only to hold a
    /// session back from cores that something else needs.
    /// </para>
    /// <para>
    /// The thread count never changes the numbers, nor does how many workers a loop gets: every kernel splits its work
    /// into parts fixed by the shapes alone, so results are bitwise the same on any count.
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
