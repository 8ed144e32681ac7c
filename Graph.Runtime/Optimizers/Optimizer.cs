using Graph.Core;
using Graph.Runtime.Execution;
using Graph.Runtime.Kernels;

namespace Graph.Runtime;

/// <summary>
/// The shared shape of an optimizer, as <c>torch.optim.Optimizer</c>: it updates every parameter of a session that
/// requires a gradient and that a backward pass reached (others are skipped, as PyTorch skips a None grad), and
/// keeps its state in the session so that a saved session carries it.
/// </summary>
/// <remarks>
/// A step is one parallel loop on the session's threads over fixed parts of every parameter (64K elements, see
/// <see cref="FixedParts"/>): the state each parameter needs (step counts, buffers) is looked up first, on the calling
/// thread, and each part then runs every pass of its parameter's update while the part is in cache.
/// </remarks>
public abstract class Optimizer
{
    private readonly Value[] _parameters;
    private readonly ParameterGroup[] _groups;
    private readonly int[] _groupOf;
    private readonly double[] _stepLearningRate;
    private readonly double[] _stepWeightDecay;
    private readonly Tensor?[] _scratch;
    private readonly Tensor?[] _grads;
    private readonly Tensor?[] _values;

    // Parameter i owns parts [_firstPart[i], _firstPart[i + 1]) of the step's loop.
    private readonly int[] _firstPart;

    /// <summary>
    /// An optimizer of <paramref name="groups"/> of <paramref name="session"/>'s parameters, or when null of one group
    /// of every parameter that requires a gradient; settings a group leaves null take <paramref name="learningRate"/>
    /// and <paramref name="weightDecay"/>.
    /// </summary>
    private protected Optimizer(Session session, IReadOnlyList<ParameterGroup>? groups, double learningRate, double weightDecay)
    {
        Session = session ?? throw new ArgumentNullException(nameof(session));
        ParameterGroup.Checked(learningRate, "lr");
        ParameterGroup.Checked(weightDecay, nameof(weightDecay));
        _groups = groups is null ? [new ParameterGroup(session.Parameters.Where(p => p.RequiresGrad))] : CheckedGroups(session, groups);
        foreach (ParameterGroup group in _groups)
        {
            group.Attach(this, learningRate, weightDecay);
        }

        _parameters = _groups.SelectMany(g => g.Parameters.Select(session.Graph.Graph.Resolve)).ToArray();
        _groupOf = _groups.SelectMany((g, index) => g.Parameters.Select(_ => index)).ToArray();
        _stepLearningRate = new double[_parameters.Length];
        _stepWeightDecay = new double[_parameters.Length];
        _scratch = new Tensor?[_parameters.Length];
        _grads = new Tensor?[_parameters.Length];
        _values = new Tensor?[_parameters.Length];
        _firstPart = new int[_parameters.Length + 1];
        for (int i = 0; i < _parameters.Length; i++)
        {
            _firstPart[i + 1] = _firstPart[i] + FixedParts.Count(_parameters[i].Shape.ElementCount, FixedParts.Elements);
        }
    }

    /// <summary>The parameter groups, as torch's <c>optimizer.param_groups</c>: one of every trainable parameter unless groups were given.</summary>
    public IReadOnlyList<ParameterGroup> ParameterGroups => _groups;

    /// <summary>
    /// The learning rate (what an lr scheduler changes): reading gives the first group's, setting sets every group's.
    /// The next <see cref="Step"/> uses it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value or NaN.</exception>
    public double LearningRate
    {
        get => _groups[0].LearningRate;
        set
        {
            ParameterGroup.Checked(value, nameof(LearningRate));
            foreach (ParameterGroup group in _groups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>
    /// The momentum that <see cref="OneCycleLr"/> cycles, as torch's OneCycleLR does: <c>momentum</c> of Sgd and RmsProp,
    /// <c>beta1</c> of Adam and AdamW.
    /// </summary>
    internal abstract double CycledMomentum { get; set; }

    /// <summary>The session whose parameters this optimizer updates.</summary>
    protected Session Session { get; }

    /// <summary>How many parameters this optimizer updates: the range of the indices <see cref="Prepare"/> and <see cref="Update"/> see.</summary>
    private protected int ParameterCount => _parameters.Length;

    /// <summary>Updates every parameter a backward pass reached.</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the session.</exception>
    public void Step()
    {
        using SessionUse.Scope use = Session.Enter("Step");
        bool any = false;
        for (int i = 0; i < _parameters.Length; i++)
        {
            _grads[i] = Session.ReachedGradient(_parameters[i]);
            if (_grads[i] is not null)
            {
                // The group's settings as they are now, for every part of this step (a scheduler changes them between steps).
                ParameterGroup group = _groups[_groupOf[i]];
                _stepLearningRate[i] = group.LearningRate;
                _stepWeightDecay[i] = group.WeightDecay;
                _values[i] = Session.ParameterValue(_parameters[i]);
                Prepare(i, _parameters[i]);
                any = true;
            }
        }

        if (any)
        {
            Session.Team.For(_firstPart[^1], new StepBody(this));
        }
    }

    /// <summary>Fills every gradient with zeros.</summary>
    public void ZeroGrad() => Session.ZeroGrad();

    /// <summary>Parameter <paramref name="index"/>'s learning rate in this step: its group's.</summary>
    private protected double LearningRateOf(int index) => _stepLearningRate[index];

    /// <summary>Parameter <paramref name="index"/>'s weight decay in this step: its group's.</summary>
    private protected double WeightDecayOf(int index) => _stepWeightDecay[index];

    /// <summary>
    /// Gets parameter <paramref name="index"/>'s state ready for this step (counts the step, creates buffers), on the
    /// calling thread, before any part of the step runs.
    /// </summary>
    private protected abstract void Prepare(int index, Value parameter);

    /// <summary>
    /// Updates elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of parameter
    /// <paramref name="index"/> from its gradient; parts of one step run at the same time, each on its own elements.
    /// </summary>
    private protected abstract void Update(int index, Tensor parameter, Tensor grad, int start, int count);

    /// <summary>A buffer of the parameter's type for intermediate terms (weight-decayed gradients), allocated on first use only.</summary>
    private protected Tensor Scratch(Value parameter, int index) => _scratch[index] ??= Tensor.Zeros(parameter.Shape, parameter.DType);

    /// <summary>
    /// The groups, when each names parameters of <paramref name="session"/> that require a gradient, and no parameter is
    /// in two places (torch refuses that too: one parameter would be stepped twice).
    /// </summary>
    private static ParameterGroup[] CheckedGroups(Session session, IReadOnlyList<ParameterGroup> groups)
    {
        if (groups.Count == 0)
        {
            throw new ArgumentException("The optimizer got an empty list of parameter groups; pass at least one group, or no groups for every trainable parameter of the session.", nameof(groups));
        }

        var seen = new HashSet<int>();
        for (int g = 0; g < groups.Count; g++)
        {
            ParameterGroup group = groups[g] ?? throw new ArgumentNullException(nameof(groups), $"Parameter group {g} is null.");
            foreach (Value parameter in group.Parameters)
            {
                Value v = Resolve(session, parameter, g);
                if (v.Kind != ValueKind.Parameter)
                {
                    throw new ArgumentException($"Parameter group {g}: '{v.Name}' ({v.Kind.ToString().ToLowerInvariant()}) is not a parameter; an optimizer updates parameters only.", nameof(groups));
                }

                if (!v.RequiresGrad)
                {
                    throw new ArgumentException($"Parameter group {g}: '{v.Name}' is frozen (requiresGrad: false; running statistics are), so it never has a gradient to step with. Leave it out of the group, or build it with requiresGrad: true.", nameof(groups));
                }

                if (!seen.Add(v.Id))
                {
                    throw new ArgumentException($"Parameter group {g}: '{v.Name}' appears twice (in this group or an earlier one); a parameter belongs to one group only.", nameof(groups));
                }
            }
        }

        return groups.ToArray();
    }

    private static Value Resolve(Session session, Value parameter, int group)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        try
        {
            return session.Graph.Graph.Resolve(parameter);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Parameter group {group}: '{parameter.Name}' is not a parameter of this session's graph; take parameters from session.Parameters or session.Graph.Find(name).", "groups", e);
        }
    }

    /// <summary>Part p of a step: its parameter's fixed range, when a backward pass reached that parameter.</summary>
    private readonly struct StepBody(Optimizer optimizer) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            // Every parameter owns at least one part (an empty one if it has no elements), so the starts strictly increase.
            int index = Array.BinarySearch(optimizer._firstPart, part);
            index = index >= 0 ? index : ~index - 1;

            if (optimizer._grads[index] is Tensor grad)
            {
                (int start, int count) = FixedParts.Range(part - optimizer._firstPart[index], (int)grad.ElementCount);
                optimizer.Update(index, optimizer._values[index]!, grad, start, count);
            }
        }
    }
}
