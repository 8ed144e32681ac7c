using Graph.Core;
using Graph.Runtime.Kernels;

namespace Graph.Runtime.Execution;

/// <summary>
/// One concrete compiled graph bound to memory: its arena of intermediates, the tensors of its inputs and seeds, and
/// its tapes bound to kernels. A static graph's session has one; a dynamic graph's session has one per concrete size
/// it was given (<see cref="PlanCache"/>). Parameters, their gradients and the optimizer state belong to the session
/// and are shared by all its plans; a gradient whose shape depends on the sizes (a dynamic input's) is the plan's own.
/// </summary>
internal sealed class ShapePlan : IDisposable
{
    private readonly KernelContext _context;
    private readonly bool _profile;
    private readonly Timeline _timeline;

    /// <param name="graph">The concrete graph.</param>
    /// <param name="options">The session's options.</param>
    /// <param name="context">The session's kernel context (threads, pass count).</param>
    /// <param name="parameters">The session's parameter tensors, by value id.</param>
    /// <param name="sharedGradients">The session's stored gradients of leaves whose shape is fixed, by value id; filled here when missing.</param>
    /// <param name="symbolic">The graph the session was made for (the same as <paramref name="graph"/> unless it is dynamic).</param>
    public ShapePlan(CompiledGraph graph, SessionOptions options, KernelContext context, Tensor?[] parameters, GradientBuffer?[] sharedGradients, ComputeGraph symbolic)
    {
        _context = context;
        _profile = options.Profile;
        Graph = graph;
        int count = graph.Graph.Values.Count;
        Tensors = new Tensor?[count];
        Gradients = new GradientBuffer?[count];
        Readable = new bool[count];
        Retained = new bool[count];
        _timeline = Timeline.Of(graph);
        Arena = ArenaPool.Rent(graph.Memory.ArenaBytes);
        Poison = options.PoisonDeadBuffers ? new DeadBufferPoison(graph.Memory, _timeline, Arena) : null;

        foreach (Value v in graph.Graph.Values)
        {
            Tensors[v.Id] = v.Kind switch
            {
                ValueKind.Parameter => parameters[v.Id],
                ValueKind.Constant => v.Data,
                ValueKind.Input or ValueKind.GradientSeed => Tensor.Zeros(v.Shape, v.DType),
                _ => null,
            };
            Readable[v.Id] = v.IsLeaf;
        }

        foreach (BufferAssignment b in graph.Memory.Buffers)
        {
            Tensors[b.Value.Id] = Tensor.View(Arena, checked((int)b.Offset), b.Value.Shape, b.Value.DType, Lease);
        }

        foreach (Value v in graph.Outputs.Concat(graph.RetainGrad))
        {
            Readable[v.Id] = true;
        }

        foreach (Value v in graph.RetainGrad)
        {
            Retained[v.Id] = true;
        }

        Forward = Bind(graph.Forward, Timeline.ForwardTape, runs: options.FuseEpilogues ? EpilogueKernelRuns(graph) : null);
        Backward = graph.Backward.Select((plan, index) => BindBackward(plan, index, sharedGradients, symbolic)).ToArray();
        OwnGradients = Enumerable.Range(0, count).Where(id => Gradients[id] is not null && sharedGradients[id] is null).ToArray();
        Value[] read = graph.Forward.Steps.Concat(graph.Backward.SelectMany(b => b.Tape.Steps))
            .SelectMany(s => s.Inputs)
            .Concat(graph.Outputs)
            .Distinct()
            .OrderBy(v => v.Id)
            .ToArray();
        ForeignSeeds = ForeignSeedsOf(graph);
        RequiredInputs = read.Where(v => v.Kind == ValueKind.Input || ForeignSeeds.Contains(v.Id)).ToArray();
        DefaultedSeeds = read.Where(v => ForeignSeeds.Contains(v.Id) && v.Shape.ElementCount == 1).ToArray();
        foreach (Value seed in DefaultedSeeds)
        {
            // As Backward seeds a scalar root with 1 when no seed is given.
            Tensors[seed.Id]!.Fill(1);
        }
    }

    /// <summary>The concrete compiled graph.</summary>
    public CompiledGraph Graph { get; }

    /// <summary>Every value's tensor, by id (null for values the tapes never compute).</summary>
    public Tensor?[] Tensors { get; }

    /// <summary>The stored gradient of each accumulated leaf or retained value, by id: the session's shared ones and the plan's own.</summary>
    public GradientBuffer?[] Gradients { get; }

    /// <summary>The ids of the gradients this plan owns (their shape depends on the sizes).</summary>
    public int[] OwnGradients { get; }

    /// <summary>Which values <c>Output</c> may read.</summary>
    public bool[] Readable { get; }

    /// <summary>Which non-leaf values keep their gradient.</summary>
    public bool[] Retained { get; }

    /// <summary>The inputs (and foreign gradient seeds) the tapes read.</summary>
    public Value[] RequiredInputs { get; }

    /// <summary>Gradient seeds the tapes read that no backward plan fills: they take <c>SetInput</c>.</summary>
    public HashSet<int> ForeignSeeds { get; }

    /// <summary>The foreign seeds that are scalars, set to 1 until <c>SetInput</c> says otherwise.</summary>
    public Value[] DefaultedSeeds { get; }

    /// <summary>The forward tape bound to kernels.</summary>
    public BoundTape Forward { get; }

    /// <summary>Each backward plan bound to kernels.</summary>
    public BoundBackward[] Backward { get; }

    /// <summary>The NaN-poisoning of dead buffers, when the session asked for it.</summary>
    public DeadBufferPoison? Poison { get; }

    /// <summary>The memory of every intermediate.</summary>
    public AlignedBuffer Arena { get; }

    /// <summary>The lease every view of the arena shares; revoked when the plan is disposed (or evicted).</summary>
    public MemoryLease Lease { get; } = new();

    /// <summary>Revokes every view of the arena, then returns the arena to the pool.</summary>
    public void Dispose()
    {
        Lease.Revoke(); // before the arena can be rented again: views kept past this point fail instead of aliasing
        ArenaPool.Return(Arena);
    }

    /// <summary>Binds every step of <paramref name="tape"/>, tape <paramref name="index"/> of the timeline; the steps in <paramref name="addInto"/> add their result into the given stored gradient instead of writing their own tensor.</summary>
    private BoundTape Bind(Tape tape, int index, IReadOnlyList<BoundTape.Accumulation>? accumulations = null, IReadOnlyDictionary<int, GradientBuffer>? addInto = null, IReadOnlyList<BoundTape.KernelRun>? runs = null) =>
        new(tape, _timeline, index, _context.Team, v => KernelRegistry.Bind(addInto is not null && addInto.TryGetValue(v.Id, out GradientBuffer? target)
            ? new KernelBinding(v, v.Inputs.Select(i => Tensors[i.Id]!).ToArray(), target.Tensor, _context, target)
            : Binding(v)), accumulations, _profile, runs);

    /// <summary>The step <paramref name="v"/> bound to its tensors.</summary>
    private KernelBinding Binding(Value v) => new(v, v.Inputs.Select(i => Tensors[i.Id]!).ToArray(), Tensors[v.Id]!, _context);

    /// <summary>
    /// The forward tape's conv2d → batch_norm (→ relu) and matmul → add (→ relu) runs (<see cref="EpilogueRuns"/>),
    /// each bound as one kernel. The fused kernel writes the last step's tensor while it reads the first step's inputs
    /// and the second's parameters; the compiler's plan keeps them apart, but a plan from elsewhere (a file from an older
    /// compiler) may overlap them: such a run stays unfused.
    /// </summary>
    private BoundTape.KernelRun[] EpilogueKernelRuns(CompiledGraph graph) =>
        EpilogueRuns.Find(graph)
            .Select(r => (r.Start, r.Count, First: Binding(graph.Forward.Steps[r.Start]), Second: Binding(graph.Forward.Steps[r.Start + 1]), Last: graph.Forward.Steps[r.Start + r.Count - 1]))
            .Where(r => !r.First.Inputs.Concat(r.Second.Inputs).Any(input => input.Bytes.Overlaps(Tensors[r.Last.Id]!.Bytes) && input != Tensors[r.First.Node.Id]))
            .Select(r => new BoundTape.KernelRun(r.Start, r.Count, KernelRegistry.BindEpilogueRun(r.First, r.Second, relu: r.Count == 3, Tensors[r.Last.Id]!, r.Last)))
            .ToArray();

    private BoundBackward BindBackward(BackwardPlan plan, int index, GradientBuffer?[] shared, ComputeGraph symbolic)
    {
        HashSet<int> direct = DirectAccumulations(plan);
        var addInto = new Dictionary<int, GradientBuffer>();
        var accumulations = plan.Accumulations.Select(a =>
        {
            GradientBuffer target = Gradients[a.Target.Id] ??= symbolic.Values[a.Target.Id].Shape.IsDynamic
                ? new GradientBuffer(Tensor.Zeros(a.Target.Shape, a.Target.DType))
                : shared[a.Target.Id] ??= new GradientBuffer(Tensor.Zeros(a.Target.Shape, a.Target.DType));
            bool addedByProducer = direct.Contains(a.Gradient.Id);
            if (addedByProducer)
            {
                addInto[a.Gradient.Id] = target;
            }

            return new BoundTape.Accumulation(a.Target.Id, target, a.Gradient.Id, Tensors[a.Gradient.Id]!, addedByProducer);
        }).ToArray();
        return new BoundBackward(plan, Tensors[plan.Seed.Id]!, Bind(plan.Tape, Timeline.BackwardTape(index), accumulations, addInto));
    }

    /// <summary>
    /// Gradient seeds the tapes read that no backward plan of this graph fills: a graph differentiated by one compile and
    /// compiled again by hand reads its old seeds as leaves. They take SetInput like inputs, so that no tape runs on a
    /// seed nobody set (they used to read as silent zeros).
    /// </summary>
    public static HashSet<int> ForeignSeedsOf(CompiledGraph graph)
    {
        IEnumerable<Value> read = graph.Forward.Steps.Concat(graph.Backward.SelectMany(b => b.Tape.Steps)).SelectMany(s => s.Inputs);
        var own = graph.Backward.Select(b => b.Seed.Id).ToHashSet();
        return read.Where(v => v.Kind == ValueKind.GradientSeed && !own.Contains(v.Id)).Select(v => v.Id).ToHashSet();
    }

    /// <summary>
    /// The gradients of <paramref name="plan"/> whose producing step can add them straight into their leaf's stored
    /// gradient (a weight gradient's GEMM with beta = 1): computed on this tape by an op that can add into its output,
    /// read by nothing else, and accumulated into one target. This saves the gradient's intermediate and the pass that
    /// adds it; the arithmetic is the same sum.
    /// </summary>
    private static HashSet<int> DirectAccumulations(BackwardPlan plan)
    {
        var readers = new Dictionary<int, int>();
        foreach (Value step in plan.Tape.Steps)
        {
            foreach (Value input in step.Inputs)
            {
                readers[input.Id] = readers.GetValueOrDefault(input.Id) + 1;
            }
        }

        var producedHere = plan.Tape.Steps.Where(s => KernelRegistry.CanAddToOutput(s.Op!.Name)).Select(s => s.Id).ToHashSet();
        return plan.Accumulations
            .GroupBy(a => a.Gradient.Id)
            .Where(g => g.Count() == 1 && producedHere.Contains(g.Key) && !readers.ContainsKey(g.Key))
            .Select(g => g.Key)
            .ToHashSet();
    }
}
