using Graph.Core;
using Graph.Runtime.Execution;
using Graph.Runtime.Kernels;

namespace Graph.Runtime;

/// <summary>
/// Runs a compiled graph many times. Creating a session allocates all its memory (the arena of
/// intermediates, inputs, parameters, gradients); <see cref="Forward"/>, <see cref="Backward"/> and
/// <see cref="ZeroGrad"/> allocate nothing. One compiled graph may back many sessions on many threads.
/// </summary>
/// <remarks>
/// <para>
/// A session is used by one thread at a time. <see cref="SetInput"/>, <see cref="Forward"/>, <see cref="Backward"/>,
/// <see cref="ZeroGrad"/>, an optimizer's <c>Step</c>, saving and loading weights, and <see cref="Dispose"/> hold an
/// in-use flag while they run: a call from a second thread meanwhile throws <see cref="InvalidOperationException"/>
/// instead of corrupting the session. Calls one after the other
/// from different threads are fine.
/// </para>
/// <para>
/// <see cref="Output"/> returns views of the session's memory (intermediates live in an arena that goes back to a pool
/// when the session is disposed). After <see cref="Dispose"/> every such view throws <see cref="ObjectDisposedException"/>
/// on access, so a stale view can never read or write the memory of the next session that rents the same arena; copy
/// what must outlive the session with <c>ToArray()</c> first. Gradients, parameters and inputs are not pooled.
/// </para>
/// </remarks>
public sealed class Session : IDisposable
{
    private readonly Tensor?[] _tensors;
    private readonly GradientBuffer?[] _grads;
    private readonly bool[] _gradReached;
    private readonly bool[] _inputSet;
    private readonly bool[] _readable;
    private readonly bool[] _retained;
    private readonly bool _profile;
    private readonly Value[] _requiredInputs;
    private readonly HashSet<int> _foreignSeeds;
    private readonly BoundTape _forward;
    private readonly BoundBackward[] _backward;
    private readonly KernelContext _context;
    private readonly DeadBufferPoison? _poison;
    private readonly int[] _tapeStarts;
    private readonly SessionUse _use = new();
    private readonly MemoryLease _lease = new();
    private GradientClipping? _clipping;
    private bool _forwardDone;
    private bool _disposed;

    /// <summary>Binds <paramref name="graph"/> to new memory; parameters start from the graph's values.</summary>
    public Session(CompiledGraph graph)
        : this(graph, SessionOptions.Default)
    {
    }

    /// <summary>Binds <paramref name="graph"/> to new memory with <paramref name="options"/>; parameters start from the graph's values.</summary>
    public Session(CompiledGraph graph, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);
        _context = new KernelContext(options.Threads);
        _profile = options.Profile;
        Graph = graph;
        int count = graph.Graph.Values.Count;
        _tensors = new Tensor?[count];
        _grads = new GradientBuffer?[count];
        _gradReached = new bool[count];
        _inputSet = new bool[count];
        _readable = new bool[count];
        _retained = new bool[count];
        Arena = ArenaPool.Rent(graph.Memory.ArenaBytes);
        _poison = options.PoisonDeadBuffers ? new DeadBufferPoison(graph, Arena) : null;
        _tapeStarts = graph.Memory.TapeStarts.ToArray();

        foreach (Value v in graph.Graph.Values)
        {
            _tensors[v.Id] = v.Kind switch
            {
                ValueKind.Parameter => v.Data!.Clone(),
                ValueKind.Constant => v.Data,
                ValueKind.Input or ValueKind.GradientSeed => Tensor.Zeros(v.Shape, v.DType),
                _ => null,
            };
            _readable[v.Id] = v.IsLeaf;
        }

        foreach (BufferAssignment b in graph.Memory.Buffers)
        {
            _tensors[b.Value.Id] = Tensor.View(Arena, checked((int)b.Offset), b.Value.Shape, b.Value.DType, _lease);
        }

        foreach (Value v in graph.Outputs.Concat(graph.RetainGrad))
        {
            _readable[v.Id] = true;
        }

        foreach (Value v in graph.RetainGrad)
        {
            _retained[v.Id] = true;
        }

        _forward = Bind(graph.Forward, runs: options.FuseConvolutions ? ConvolutionRuns(graph) : null);
        _backward = graph.Backward.Select((plan, index) => BindBackward(plan, index)).ToArray();
        Value[] read = graph.Forward.Steps.Concat(graph.Backward.SelectMany(b => b.Tape.Steps))
            .SelectMany(s => s.Inputs)
            .Concat(graph.Outputs)
            .Distinct()
            .OrderBy(v => v.Id)
            .ToArray();
        _foreignSeeds = ForeignSeeds(graph, read);
        _requiredInputs = read.Where(v => v.Kind == ValueKind.Input || _foreignSeeds.Contains(v.Id)).ToArray();
        foreach (Value seed in read.Where(v => _foreignSeeds.Contains(v.Id) && v.Shape.ElementCount == 1))
        {
            // As Backward seeds a scalar root with 1 when no seed is given.
            _tensors[seed.Id]!.Fill(1);
            _inputSet[seed.Id] = true;
        }
        Parameters = graph.Graph.Parameters.ToArray();
        OptimizerState = new OptimizerState();
    }

    /// <summary>The compiled graph this session runs; <c>session.Graph.Find(name)</c> is how a loaded session is used.</summary>
    public CompiledGraph Graph { get; }

    /// <summary>Every parameter, frozen ones and running statistics included.</summary>
    public IReadOnlyList<Value> Parameters { get; }

    /// <summary>The optimizers' state (momentum buffers, moments, step counts), kept with the parameters it belongs to.</summary>
    internal OptimizerState OptimizerState { get; }

    /// <summary>
    /// The forward passes this session has completed: its run state, saved with it, since dropout draws each pass's
    /// masks from the pass number.
    /// </summary>
    internal long ForwardPasses
    {
        get => _context.ForwardPasses;
        set => _context.ForwardPasses = value;
    }

    /// <summary>The memory of every intermediate.</summary>
    internal AlignedBuffer Arena { get; }

    /// <summary>
    /// Copies <paramref name="value"/> into the input <paramref name="input"/>. A gradient seed of an earlier
    /// differentiation that this graph reads as a leaf (a differentiated graph compiled again) is set the same way.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not an input, or the tensor's shape or dtype differs from the input's.</exception>
    public void SetInput(Value input, Tensor value)
    {
        using SessionUse.Scope use = Enter("SetInput");
        ArgumentNullException.ThrowIfNull(value);
        Value v = Graph.Graph.Resolve(input);
        if (v.Kind != ValueKind.Input && !_foreignSeeds.Contains(v.Id))
        {
            string hint = v.Kind == ValueKind.Parameter ? $" Write a parameter through ParameterValue({v.Name})." : string.Empty;
            throw new ArgumentException($"SetInput: '{v.Name}' is a {v.Kind.ToString().ToLowerInvariant()}, not an input.{hint}", nameof(input));
        }

        if (value.Shape != v.Shape || value.DType != v.DType)
        {
            throw new ArgumentException($"SetInput('{v.Name}'): the input is {v.Type} but the tensor is {value.DType.Name()}{value.Shape}. Pass a tensor of shape {v.Shape} and dtype {v.DType.Name()}.", nameof(value));
        }

        value.CopyTo(_tensors[v.Id]!);
        _inputSet[v.Id] = true;
        _forwardDone = false;
    }

    /// <summary>
    /// Runs the forward tape, and counts the pass: dropout draws each pass's masks from its seed and the pass
    /// number, and batch normalization in training mode updates its running statistics once per pass.
    /// </summary>
    /// <exception cref="InvalidOperationException">An input the graph reads was never set, or another thread is using the session.</exception>
    public void Forward()
    {
        using SessionUse.Scope use = Enter("Forward");
        foreach (Value input in _requiredInputs)
        {
            if (!_inputSet[input.Id])
            {
                throw new InvalidOperationException(input.Kind == ValueKind.GradientSeed
                    ? $"Forward: '{input.Name}' {input.Type} is the gradient seed of a graph differentiated before it was compiled again, and no Backward of this session fills it. Set it with SetInput({input.Name}, seed) (a scalar seed defaults to 1), or build the gradient with GraphBuilder.Grad(output, inputs, outputGradient) from an input."
                    : $"Forward: input '{input.Name}' {input.Type} was never set. Call SetInput({input.Name}, tensor) before Forward().");
            }
        }

        _forward.Run(_poison, _tapeStarts[0], _gradReached);
        _context.CountForwardPass();
        _forwardDone = true;
    }

    /// <summary>
    /// Runs the backward plan of <paramref name="root"/> (the only root when null) with incoming gradient
    /// <paramref name="seed"/> (1 for a scalar root when null), and adds the gradients into the stored ones.
    /// May run again after one <see cref="Forward"/>, adding the same gradients again.
    /// </summary>
    /// <exception cref="InvalidOperationException">No forward pass ran since the inputs last changed, a non-scalar root has no seed, the root is ambiguous, or another thread is using the session.</exception>
    /// <exception cref="ArgumentException"><paramref name="root"/> is not a gradient root, or the seed's shape or dtype differs from the root's.</exception>
    public void Backward(Value? root = null, Tensor? seed = null)
    {
        using SessionUse.Scope use = Enter("Backward");
        BoundBackward plan = FindPlan(root);
        if (!_forwardDone)
        {
            throw new InvalidOperationException($"Backward: no forward pass has run since the inputs were last set. Call Forward() before Backward({plan.Plan.Root.Name}).");
        }

        Value r = plan.Plan.Root;
        if (seed is null)
        {
            if (r.Shape.ElementCount != 1)
            {
                throw new InvalidOperationException($"Backward: grad can be implicitly created only for scalar outputs, and '{r.Name}' is {r.Type}. Pass a seed tensor of shape {r.Shape}: the vector of the vector-Jacobian product.");
            }

            plan.Seed.Fill(1);
        }
        else
        {
            if (seed.Shape != r.Shape || seed.DType != r.DType)
            {
                throw new ArgumentException($"Backward: the seed of '{r.Name}' must be {r.Type}, like the root, but it is {seed.DType.Name()}{seed.Shape}.", nameof(seed));
            }

            seed.CopyTo(plan.Seed);
        }

        int start = _tapeStarts[1 + plan.Index];
        plan.Tape.Run(_poison, start, _gradReached);
        _poison?.AfterStep(start + plan.Tape.StepCount);
    }

    /// <summary>
    /// Where the time of every <see cref="Forward"/> and <see cref="Backward"/> went, per tape unit and per op, since
    /// the session was created or <see cref="ResetProfile"/> was called (<c>ToString()</c> prints a table).
    /// </summary>
    /// <exception cref="InvalidOperationException">The session was created without <see cref="SessionOptions.Profile"/>.</exception>
    public SessionProfile Profile()
    {
        ThrowIfDisposed();
        if (!_profile)
        {
            throw new InvalidOperationException("Profile: this session does not record times. Create it with new SessionOptions { Profile = true } (or set GRAPH_PROFILE=1).");
        }

        return new SessionProfile(_forward.ProfileEntries("forward")
            .Concat(_backward.SelectMany(b => b.Tape.ProfileEntries($"backward {b.Plan.Root.Name}")))
            .ToArray());
    }

    /// <summary>Forgets the times <see cref="Profile"/> reports, e.g. after warm-up steps.</summary>
    public void ResetProfile()
    {
        ThrowIfDisposed();
        _forward.ResetProfile();
        foreach (BoundBackward b in _backward)
        {
            b.Tape.ResetProfile();
        }
    }

    /// <summary>The value of an output, a gradient root, a retained value or a leaf: a view valid until the next call that changes it; after <see cref="Dispose"/> a view of an intermediate throws on access.</summary>
    /// <exception cref="ArgumentException">The value is not readable; the message says how to make it so.</exception>
    public Tensor Output(Value value)
    {
        ThrowIfDisposed();
        Value v = Graph.Graph.Resolve(value);
        if (!_readable[v.Id])
        {
            throw new ArgumentException($"Output: '{v.Name}' is not an output of this compiled graph. Add it to CompileOptions.Outputs (or GradientRoots) to read it after Forward().", nameof(value));
        }

        return _tensors[v.Id]!;
    }

    /// <summary>
    /// The accumulated gradient of a leaf that requires one, or of a retained value; null before any backward
    /// pass reached it, and for frozen parameters, detached paths and inputs without requiresGrad.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is not a leaf and is not in <c>RetainGrad</c>.</exception>
    public Tensor? Grad(Value value)
    {
        ThrowIfDisposed();
        Value v = Graph.Graph.Resolve(value);
        if (!v.IsLeaf && !_retained[v.Id])
        {
            throw new InvalidOperationException($"Grad: '{v.Name}' is not a leaf, so its gradient is not kept. Add it to CompileOptions.RetainGrad to read it, as retain_grad() does in PyTorch; leaves (inputs and parameters with requiresGrad) keep theirs.");
        }

        return _gradReached[v.Id] ? _grads[v.Id]!.Read() : null;
    }

    /// <summary>
    /// Sets every stored gradient to zero. (In name: the next backward pass overwrites a zeroed gradient instead of
    /// adding to it, and reading one first writes its zeros, so the step saves a pass over every gradient.)
    /// </summary>
    /// <exception cref="InvalidOperationException">Another thread is using the session.</exception>
    public void ZeroGrad()
    {
        using SessionUse.Scope use = Enter("ZeroGrad");
        foreach (GradientBuffer? g in _grads)
        {
            if (g is not null)
            {
                g.IsZero = true;
            }
        }
    }

    /// <summary>
    /// Clips the stored gradients of every parameter that has one as torch.nn.utils.clip_grad_norm_ does: the total L2
    /// norm over all of them (the norm of the per-parameter norms), and when it is above <paramref name="maxNorm"/> every
    /// gradient scaled by <paramref name="maxNorm"/> / (total + 1e-6). Returns the total norm (0 when no gradient is
    /// stored; NaN or infinity when a gradient holds one, which then spreads into the gradients as in torch).
    /// Deterministic on any thread count; allocates only on the first call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is negative or NaN (torch would flip or poison the gradients).</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the session.</exception>
    public double ClipGradNorm(double maxNorm)
    {
        using SessionUse.Scope use = Enter("ClipGradNorm");
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"ClipGradNorm: maxNorm must be a non-negative number; got {maxNorm}.");
        }

        _clipping ??= new GradientClipping(this);
        return _clipping.Clip(maxNorm);
    }

    /// <summary>A parameter's live value: reads see the latest step, writes change what the next step uses.</summary>
    /// <exception cref="ArgumentException">The value is not a parameter.</exception>
    public Tensor ParameterValue(Value parameter)
    {
        ThrowIfDisposed();
        Value v = Graph.Graph.Resolve(parameter);
        if (v.Kind != ValueKind.Parameter)
        {
            throw new ArgumentException($"ParameterValue: '{v.Name}' is a {v.Kind.ToString().ToLowerInvariant()}, not a parameter.", nameof(parameter));
        }

        return _tensors[v.Id]!;
    }

    /// <summary>
    /// Returns the arena and the matrix-product workspaces to their pools (the worker threads are the process's, shared
    /// by every session). Views of intermediates that <see cref="Output"/> returned throw
    /// <see cref="ObjectDisposedException"/> from then on.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another thread is inside a call of this session: disposing would hand its arena to the next session while it still writes there.</exception>
    public void Dispose()
    {
        if (!_disposed)
        {
            _ = _use.Enter("Dispose"); // kept: nothing may enter a disposed session, and its calls check _disposed first
            _disposed = true;
            _context.Dispose();
            _lease.Revoke(); // before the arena can be rented again: views kept past this point fail instead of aliasing
            ArenaPool.Return(Arena);
        }
    }

    /// <summary>The stored gradient of <paramref name="parameter"/> if a backward pass reached it, without checks: for optimizers.</summary>
    internal Tensor? ReachedGradient(Value parameter) => _gradReached[parameter.Id] ? _grads[parameter.Id]!.Read() : null;

    /// <summary>The in-use flag's hook for tests that hold a call inside (see <see cref="SessionUse"/>).</summary>
    internal Action<string>? EnteredForTest
    {
        get => _use.EnteredForTest;
        set => _use.EnteredForTest = value;
    }

    /// <summary>Takes the session's in-use flag for <paramref name="call"/> (an optimizer's step takes it too).</summary>
    internal SessionUse.Scope Enter(string call)
    {
        ThrowIfDisposed();
        return _use.Enter(call);
    }

    /// <summary>The session's threads, for optimizers that split a step over them.</summary>
    internal WorkerTeam Team => _context.Team;

    /// <summary>Binds every step of <paramref name="tape"/>; the steps in <paramref name="addInto"/> add their result into the given stored gradient instead of writing their own tensor.</summary>
    private BoundTape Bind(Tape tape, IReadOnlyList<BoundTape.Accumulation>? accumulations = null, IReadOnlyDictionary<int, GradientBuffer>? addInto = null, IReadOnlyList<BoundTape.KernelRun>? runs = null) =>
        new(tape, _context.Team, v => KernelRegistry.Bind(addInto is not null && addInto.TryGetValue(v.Id, out GradientBuffer? target)
            ? new KernelBinding(v, v.Inputs.Select(i => _tensors[i.Id]!).ToArray(), target.Tensor, _context, target)
            : Binding(v)), accumulations, _profile, runs);

    /// <summary>The step <paramref name="v"/> bound to its tensors.</summary>
    private KernelBinding Binding(Value v) => new(v, v.Inputs.Select(i => _tensors[i.Id]!).ToArray(), _tensors[v.Id]!, _context);

    /// <summary>
    /// The forward tape's conv2d → batch_norm (→ relu) runs (<see cref="ConvolutionEpilogueRuns"/>), each bound as one kernel.
    /// The fused kernel writes the last step's tensor while it reads the convolution's input; the compiler's plan keeps
    /// them apart, but a plan from elsewhere (a file from an older compiler) may overlap them: such a run stays unfused.
    /// </summary>
    private IReadOnlyList<BoundTape.KernelRun> ConvolutionRuns(CompiledGraph graph) =>
        ConvolutionEpilogueRuns.Find(graph)
            .Select(r => (r.Start, r.Count, Convolution: Binding(graph.Forward.Steps[r.Start]), BatchNorm: Binding(graph.Forward.Steps[r.Start + 1]), Last: graph.Forward.Steps[r.Start + r.Count - 1]))
            .Where(r => !r.Convolution.Inputs.Concat(r.BatchNorm.Inputs.Skip(1)).Any(input => input.Bytes.Overlaps(_tensors[r.Last.Id]!.Bytes)))
            .Select(r => new BoundTape.KernelRun(r.Start, r.Count, KernelRegistry.BindConvolutionBatchNorm(r.Convolution, r.BatchNorm, relu: r.Count == 3, _tensors[r.Last.Id]!, r.Last)))
            .ToArray();

    private BoundBackward BindBackward(BackwardPlan plan, int index)
    {
        HashSet<int> direct = DirectAccumulations(plan);
        var addInto = new Dictionary<int, GradientBuffer>();
        var accumulations = plan.Accumulations.Select(a =>
        {
            GradientBuffer target = _grads[a.Target.Id] ??= new GradientBuffer(Tensor.Zeros(a.Target.Shape, a.Target.DType));
            bool addedByProducer = direct.Contains(a.Gradient.Id);
            if (addedByProducer)
            {
                addInto[a.Gradient.Id] = target;
            }

            return new BoundTape.Accumulation(a.Target.Id, target, a.Gradient.Id, _tensors[a.Gradient.Id]!, addedByProducer);
        }).ToArray();
        return new BoundBackward(plan, index, _tensors[plan.Seed.Id]!, Bind(plan.Tape, accumulations, addInto));
    }

    /// <summary>
    /// Gradient seeds the tapes read that no backward plan of this graph fills: a graph differentiated by one compile and
    /// compiled again by hand reads its old seeds as leaves. They take SetInput like inputs, so that no tape runs on a
    /// seed nobody set (they used to read as silent zeros).
    /// </summary>
    private static HashSet<int> ForeignSeeds(CompiledGraph graph, IEnumerable<Value> read)
    {
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

    private BoundBackward FindPlan(Value? root)
    {
        if (_backward.Length == 0)
        {
            throw new InvalidOperationException("Backward: this graph was compiled without GradientRoots, so it has no backward plan. Compile with GradientRoots = [loss].");
        }

        if (root is null)
        {
            if (_backward.Length > 1)
            {
                throw new InvalidOperationException($"Backward: the graph has {_backward.Length} gradient roots ({string.Join(", ", _backward.Select(b => b.Plan.Root.Name))}); name the one to differentiate.");
            }

            return _backward[0];
        }

        Value r = Graph.Graph.Resolve(root);
        foreach (BoundBackward b in _backward)
        {
            if (b.Plan.Root.Id == r.Id)
            {
                return b;
            }
        }

        throw new ArgumentException($"Backward: '{r.Name}' is not a gradient root of this compiled graph; the roots are {string.Join(", ", _backward.Select(b => b.Plan.Root.Name))}. Add it to CompileOptions.GradientRoots.", nameof(root));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
