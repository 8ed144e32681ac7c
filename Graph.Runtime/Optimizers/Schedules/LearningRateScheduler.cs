namespace Graph.Runtime;

/// <summary>
/// What every scheduler shares, as torch's <c>_LRScheduler</c>: the groups' learning rates when it was built (torch's
/// <c>base_lrs</c>), the step count, and a step that computes each group's rate from its current one and writes it.
/// The schedules are torch's chainable forms (each rate computed from the one before), so the numbers are torch's to
/// the last bit where both take the same operations, and a rate set from outside between steps carries on as in torch.
/// </summary>
/// <remarks>
/// Resuming: the scheduler's state is its <see cref="LastEpoch"/>, which a .graph file does not hold; keep it with the
/// checkpoint (a scheduler stepped once per optimizer step has the step count that <c>GraphFile.Inspect</c> reports).
/// After loading, build the optimizer and the scheduler with their original settings and call
/// <see cref="Resume"/>(lastEpoch): it replays the schedule's steps (scalar arithmetic only), so the rates are bitwise
/// those of a scheduler that never stopped. (torch's <c>last_epoch</c> constructor argument instead needs the optimizer's
/// saved <c>initial_lr</c> and, for most schedules, switches to a closed form that differs in the last bits.)
/// </remarks>
public abstract class LearningRateScheduler : ILearningRateScheduler
{
    private readonly double[] _baseLearningRates;
    private readonly double[] _lastLearningRates;
    private bool _started;

    /// <summary>A scheduler of <paramref name="optimizer"/>'s groups; the derived constructor ends with <see cref="Start"/>.</summary>
    protected LearningRateScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _baseLearningRates = optimizer.ParameterGroups.Select(g => g.LearningRate).ToArray();
        _lastLearningRates = new double[_baseLearningRates.Length];
        LastEpoch = -1;
    }

    /// <inheritdoc/>
    public Optimizer Optimizer { get; }

    /// <inheritdoc/>
    public int LastEpoch { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<double> LastLearningRates => _lastLearningRates;

    /// <summary>Each group's learning rate when the schedule began (torch's <c>base_lrs</c>, from <c>initial_lr</c>).</summary>
    protected IReadOnlyList<double> BaseLearningRates => _baseLearningRates;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The schedule has no next step (OneCycleLr past its total steps).</exception>
    public void Step()
    {
        if (!_started)
        {
            throw new InvalidOperationException($"{GetType().Name}: the derived constructor did not call Start().");
        }

        Advance();
    }

    /// <summary>
    /// Brings a scheduler just built (with the original settings, on an optimizer built with the original settings) to
    /// where a saved one stood: steps it until <see cref="LastEpoch"/> is <paramref name="lastEpoch"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">This scheduler has already stepped.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lastEpoch"/> is negative.</exception>
    public void Resume(int lastEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastEpoch);
        if (LastEpoch != 0)
        {
            throw new InvalidOperationException($"{GetType().Name}.Resume: this scheduler has already stepped {LastEpoch} times; resume a new one, built on a new optimizer with the original settings.");
        }

        while (LastEpoch < lastEpoch)
        {
            Step();
        }
    }

    /// <summary>
    /// Group <paramref name="group"/>'s learning rate at step <see cref="LastEpoch"/> (already advanced), from its
    /// current rate <paramref name="current"/> and its base rate <paramref name="initial"/> (torch's <c>get_lr</c>).
    /// </summary>
    protected abstract double ComputeLearningRate(int group, double current, double initial);

    /// <summary>The first step (torch's <c>_initial_step</c>): sets the rates of step 0. Derived constructors end with it.</summary>
    protected void Start()
    {
        if (_started)
        {
            throw new InvalidOperationException($"{GetType().Name}: Start() runs once, at the end of the constructor.");
        }

        _started = true;
        Advance();
    }

    private void Advance()
    {
        IReadOnlyList<ParameterGroup> groups = Optimizer.ParameterGroups;
        int epoch = checked(LastEpoch + 1);
        LastEpoch = epoch;
        for (int g = 0; g < groups.Count; g++)
        {
            double rate = ComputeLearningRate(g, groups[g].LearningRate, _baseLearningRates[g]);
            groups[g].SetScheduledLearningRate(rate);
            _lastLearningRates[g] = rate;
        }
    }
}
