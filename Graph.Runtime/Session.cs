using Graph.Core;
using Graph.Runtime.Execution;
using Graph.Runtime.Kernels;

namespace Graph.Runtime;

/// <summary>
/// Runs a compiled graph many times. Creating a session allocates all its memory (the arena of
/// intermediates, inputs, parameters, gradients); <see cref="Forward"/>, <see cref="Backward"/> and
/// <see cref="ZeroGrad"/> allocate nothing. One compiled graph may back many sessions on many threads.
/// A dynamic graph (-1 in an input's shape) is planned by the first <see cref="Forward"/> for each new size, which
/// allocates that size's arena and inputs; the plans are cached (<see cref="SessionOptions.PlanCacheCapacity"/>,
/// least recently used out), so a size seen before allocates nothing. Parameters, their gradients and the optimizer
/// state are shared by all sizes.
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
    private readonly SessionOptions _options;
    private readonly Tensor?[] _parameters;
    private readonly GradientBuffer?[] _grads;
    private readonly bool[] _gradReached;
    private readonly bool[] _inputSet;
    private readonly bool[] _retained;
    private readonly bool _profile;
    private readonly HashSet<int> _foreignSeeds;
    private readonly PlanCache? _plans;
    private readonly InputStaging? _staging;
    private readonly Value[] _stagedLeaves;
    private readonly KernelContext _context;
    private readonly SessionUse _use = new();
    private ShapePlan? _plan;
    private GradientClipping? _clipping;
    private bool _forwardDone;
    private bool _disposed;

    /// <summary>Binds <paramref name="graph"/> to new memory; parameters start from the graph's values.</summary>
    public Session(CompiledGraph graph)
        : this(graph, SessionOptions.Default)
    {
    }

    /// <summary>
    /// Binds <paramref name="graph"/> to new memory with <paramref name="options"/>; parameters start from the graph's
    /// values. A dynamic graph (<see cref="CompiledGraph.IsDynamic"/>) is planned at its first <see cref="Forward"/>
    /// for the sizes it is given, and again for each new size.
    /// </summary>
    public Session(CompiledGraph graph, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PlanCacheCapacity, 1);
        _context = new KernelContext(options.Threads);
        _options = options;
        _profile = options.Profile;
        Graph = graph;
        int count = graph.Graph.Values.Count;
        _parameters = new Tensor?[count];
        _grads = new GradientBuffer?[count];
        _gradReached = new bool[count];
        _inputSet = new bool[count];
        _retained = new bool[count];
        foreach (Value v in graph.RetainGrad)
        {
            _retained[v.Id] = true;
        }

        foreach (Value v in graph.Graph.Parameters)
        {
            _parameters[v.Id] = v.Data!.Clone();
        }

        _foreignSeeds = ShapePlan.ForeignSeedsOf(graph);
        _stagedLeaves = graph.Graph.Values.Where(v => v.Kind == ValueKind.Input || _foreignSeeds.Contains(v.Id)).ToArray();
        if (graph.IsDynamic)
        {
            _plans = new PlanCache(graph.Graph.Values.Where(v => v.IsLeaf && v.Shape.IsDynamic).ToArray(), options.PlanCacheCapacity);
            _staging = new InputStaging(count, options.PlanCacheCapacity);
        }
        else
        {
            _plan = NewPlan(graph);
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

    /// <summary>The memory of every intermediate of the current plan.</summary>
    internal AlignedBuffer Arena => Plan("Arena").Arena;

    /// <summary>The shapes of the dynamic leaves each cached plan was made for, most recently used first (a static graph's session has none).</summary>
    internal IReadOnlyList<IReadOnlyList<Shape>> PlannedShapes =>
        _plans is null ? [] : Enumerable.Range(0, _plans.Count).Select(i => (IReadOnlyList<Shape>)_plans[i].Key).ToArray();

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

        if (!v.Shape.Admits(value.Shape) || value.DType != v.DType)
        {
            string dynamic = v.Shape.IsDynamic ? " (-1 is a dynamic dimension: any size)" : string.Empty;
            throw new ArgumentException($"SetInput('{v.Name}'): the input is {v.Type}{dynamic} but the tensor is {value.DType.Name()}{value.Shape}. Pass a tensor of shape {v.Shape} and dtype {v.DType.Name()}.", nameof(value));
        }

        if (_staging is not null)
        {
            _staging.Stage(v, value);
        }
        else
        {
            value.CopyTo(_plan!.Tensors[v.Id]!);
        }

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
        if (_plans is not null)
        {
            SelectPlan(_plans, _staging!);
        }

        ShapePlan plan = _plan!;
        foreach (Value input in plan.RequiredInputs)
        {
            RequireSet(input);
        }

        plan.Forward.Run(plan.Poison, _gradReached);
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
        int index = FindPlan(root);
        if (!_forwardDone)
        {
            throw new InvalidOperationException($"Backward: no forward pass has run since the inputs were last set. Call Forward() before Backward({Graph.Backward[index].Root.Name}).");
        }

        ShapePlan bound = _plan!;
        BoundBackward plan = bound.Backward[index];

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

        plan.Tape.Run(bound.Poison, _gradReached);
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

        ShapePlan plan = Plan("Profile");
        return new SessionProfile(plan.Forward.ProfileEntries("forward")
            .Concat(plan.Backward.SelectMany(b => b.Tape.ProfileEntries($"backward {b.Plan.Root.Name}")))
            .ToArray());
    }

    /// <summary>Forgets the times <see cref="Profile"/> reports, e.g. after warm-up steps.</summary>
    public void ResetProfile()
    {
        ThrowIfDisposed();
        foreach (ShapePlan plan in AllPlans())
        {
            plan.Forward.ResetProfile();
            foreach (BoundBackward b in plan.Backward)
            {
                b.Tape.ResetProfile();
            }
        }
    }

    /// <summary>The value of an output, a gradient root, a retained value or a leaf: a view valid until the next call that changes it; after <see cref="Dispose"/> a view of an intermediate throws on access.</summary>
    /// <exception cref="ArgumentException">The value is not readable; the message says how to make it so.</exception>
    public Tensor Output(Value value)
    {
        ThrowIfDisposed();
        Value v = Graph.Graph.Resolve(value);
        if (v.Kind == ValueKind.Parameter)
        {
            return _parameters[v.Id]!;
        }

        ShapePlan plan = Plan("Output");
        if (!plan.Readable[v.Id])
        {
            throw new ArgumentException($"Output: '{v.Name}' is not an output of this compiled graph. Add it to CompileOptions.Outputs (or GradientRoots) to read it after Forward().", nameof(value));
        }

        return plan.Tensors[v.Id]!;
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

        return _gradReached[v.Id] ? (_grads[v.Id] ?? _plan!.Gradients[v.Id])!.Read() : null;
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

        for (int p = 0; p < PlanCount; p++)
        {
            ShapePlan plan = PlanAt(p);
            foreach (int id in plan.OwnGradients)
            {
                plan.Gradients[id]!.IsZero = true;
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

        return _parameters[v.Id]!;
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
            if (_plans is not null)
            {
                _plans.Dispose();
            }
            else
            {
                _plan!.Dispose();
            }
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

    private int PlanCount => _plans?.Count ?? 1;

    private ShapePlan PlanAt(int index) => _plans is null ? _plan! : _plans[index].Plan;

    private IEnumerable<ShapePlan> AllPlans() => Enumerable.Range(0, PlanCount).Select(PlanAt);

    /// <summary>The current plan; a dynamic graph has one only after its first <see cref="Forward"/>.</summary>
    private ShapePlan Plan(string call) => _plan
        ?? throw new InvalidOperationException($"{call}: this graph has dynamic dimensions (-1 in an input's shape), and no Forward() has fixed their sizes yet. Call SetInput and Forward() first.");

    /// <summary>Binds a concrete graph to memory, sharing this session's parameters and fixed-shape gradients.</summary>
    private ShapePlan NewPlan(CompiledGraph concrete)
    {
        var plan = new ShapePlan(concrete, _options, _context, _parameters, _grads, Graph.Graph);
        foreach (Value seed in plan.DefaultedSeeds)
        {
            _inputSet[seed.Id] = true;
        }

        return plan;
    }

    /// <summary>
    /// Makes the plan for the sizes of the staged inputs current (planning them first if they are new) and copies the
    /// staged inputs into it. A size seen before allocates nothing.
    /// </summary>
    private void SelectPlan(PlanCache plans, InputStaging staging)
    {
        foreach (Value leaf in plans.KeyLeaves)
        {
            RequireSet(leaf);
        }

        Tensor?[] staged = staging.Current;
        ShapePlan plan = plans.Find(staged) ?? AddPlan(plans, staged);
        if (!ReferenceEquals(plan, _plan) && _plan is not null)
        {
            // A gradient whose shape follows the sizes (a dynamic input's) belongs to the sizes it was computed for.
            foreach (int id in _plan.OwnGradients)
            {
                _gradReached[id] = false;
            }
        }

        _plan = plan;
        foreach (Value leaf in _stagedLeaves)
        {
            if (staged[leaf.Id] is { } tensor)
            {
                tensor.CopyTo(plan.Tensors[leaf.Id]!);
            }
        }
    }

    private ShapePlan AddPlan(PlanCache plans, Tensor?[] staged)
    {
        CompiledGraph concrete;
        try
        {
            concrete = Graph.Specialize(leaf => staged[leaf.Id]?.Shape ?? leaf.Shape);
        }
        catch (GraphBuildException e)
        {
            string sizes = string.Join(", ", plans.KeyLeaves.Select(l => $"'{l.Name}' {l.Shape} → {staged[l.Id]!.Shape}"));
            throw new InvalidOperationException($"Forward: the inputs fix the dynamic dimensions ({sizes}), and with these sizes {e.Message}", e);
        }

        ShapePlan plan = NewPlan(concrete);
        plans.Add(plans.KeyLeaves.Select(l => staged[l.Id]!.Shape).ToArray(), plan);
        return plan;
    }

    private void RequireSet(Value input)
    {
        if (!_inputSet[input.Id])
        {
            throw new InvalidOperationException(input.Kind == ValueKind.GradientSeed
                ? $"Forward: '{input.Name}' {input.Type} is the gradient seed of a graph differentiated before it was compiled again, and no Backward of this session fills it. Set it with SetInput({input.Name}, seed) (a scalar seed defaults to 1), or build the gradient with GraphBuilder.Grad(output, inputs, outputGradient) from an input."
                : $"Forward: input '{input.Name}' {input.Type} was never set. Call SetInput({input.Name}, tensor) before Forward().");
        }
    }

    /// <summary>The index of the backward plan of <paramref name="root"/> (the only one when null).</summary>
    private int FindPlan(Value? root)
    {
        IReadOnlyList<BackwardPlan> backward = Graph.Backward;
        if (backward.Count == 0)
        {
            throw new InvalidOperationException("Backward: this graph was compiled without GradientRoots, so it has no backward plan. Compile with GradientRoots = [loss].");
        }

        if (root is null)
        {
            if (backward.Count > 1)
            {
                throw new InvalidOperationException($"Backward: the graph has {backward.Count} gradient roots ({string.Join(", ", backward.Select(b => b.Root.Name))}); name the one to differentiate.");
            }

            return 0;
        }

        Value r = Graph.Graph.Resolve(root);
        for (int i = 0; i < backward.Count; i++)
        {
            if (backward[i].Root.Id == r.Id)
            {
                return i;
            }
        }

        throw new ArgumentException($"Backward: '{r.Name}' is not a gradient root of this compiled graph; the roots are {string.Join(", ", backward.Select(b => b.Root.Name))}. Add it to CompileOptions.GradientRoots.", nameof(root));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
