namespace Graph.Runtime;

/// <summary>
/// torch.optim.lr_scheduler.OneCycleLR (1.13), step for step: each group's learning rate rises from maxLr/divFactor to
/// maxLr over the first pctStart of totalSteps, then falls to maxLr/(divFactor·finalDivFactor) (with
/// <c>threePhase</c>, back to the start first, then to the minimum), each phase annealed by <see cref="AnnealStrategy"/>.
/// </summary>
/// <remarks>
/// With <c>cycleMomentum</c> (torch's default) the momentum moves the other way, from maxMomentum to baseMomentum and
/// back, exactly as in torch, which changes the optimizer's own setting: <c>momentum</c> of <see cref="Sgd"/> and
/// <see cref="RmsProp"/>, <c>beta1</c> of <see cref="Adam"/> and <see cref="AdamW"/> (so an Sgd built without momentum
/// trains with momentum under this schedule, as torch's does). There is one momentum per optimizer here (torch has
/// one per group, all set to the same values unless lists are passed). The schedule is closed-form, so the rates do
/// not depend on a rate set between steps. It may step up to LastEpoch = totalSteps, as torch's may; that last step lies past the
/// end of the last phase, and with <see cref="AnnealStrategy.Linear"/> its rate is extrapolated below the minimum (below
/// zero), as in torch.
/// </remarks>
public sealed class OneCycleLr : LearningRateScheduler
{
    private readonly int _totalSteps;
    private readonly AnnealStrategy _anneal;
    private readonly bool _cycleMomentum;
    private readonly double _baseMomentum;
    private readonly double _maxMomentum;
    private readonly Phase[] _phases;
    private readonly double[] _initial;
    private readonly double[] _max;
    private readonly double[] _min;

    /// <summary>A one-cycle schedule of <paramref name="optimizer"/> over <paramref name="totalSteps"/> steps, every group peaking at <paramref name="maxLr"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A setting is outside its range (totalSteps positive, pctStart in [0, 1], rates, momenta and division factors
    /// non-negative, division factors non-zero), or a phase would be empty (its length pctStart·totalSteps − 1 is 0,
    /// where torch divides by zero).
    /// </exception>
    public OneCycleLr(
        Optimizer optimizer,
        double maxLr,
        int totalSteps,
        double pctStart = 0.3,
        AnnealStrategy annealStrategy = AnnealStrategy.Cos,
        bool cycleMomentum = true,
        double baseMomentum = 0.85,
        double maxMomentum = 0.95,
        double divFactor = 25.0,
        double finalDivFactor = 1e4,
        bool threePhase = false)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        ParameterGroup.Checked(maxLr, nameof(maxLr));
        if (!(pctStart >= 0 && pctStart <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "OneCycleLr: pctStart must be in [0, 1].");
        }

        if (!(divFactor > 0) || !(finalDivFactor > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(divFactor), $"OneCycleLr: divFactor and finalDivFactor must be positive; got {divFactor} and {finalDivFactor}.");
        }

        if (!Enum.IsDefined(annealStrategy))
        {
            throw new ArgumentOutOfRangeException(nameof(annealStrategy), annealStrategy, "OneCycleLr: the anneal strategy must be Cos or Linear.");
        }

        (_totalSteps, _anneal, _cycleMomentum) = (totalSteps, annealStrategy, cycleMomentum);
        _baseMomentum = ParameterGroup.Checked(baseMomentum, nameof(baseMomentum));
        _maxMomentum = ParameterGroup.Checked(maxMomentum, nameof(maxMomentum));
        double firstEnd = (pctStart * totalSteps) - 1;
        _phases = threePhase
            ?
            [
                new Phase(firstEnd, Level.Initial, Level.Max, Level.Max, Level.Base),
                new Phase((2 * pctStart * totalSteps) - 2, Level.Max, Level.Initial, Level.Base, Level.Max),
                new Phase(totalSteps - 1, Level.Initial, Level.Min, Level.Max, Level.Max),
            ]
            :
            [
                new Phase(firstEnd, Level.Initial, Level.Max, Level.Max, Level.Base),
                new Phase(totalSteps - 1, Level.Max, Level.Min, Level.Base, Level.Max),
            ];
        double start = 0;
        foreach (Phase phase in _phases)
        {
            if (phase.EndStep - start == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, $"OneCycleLr: with pctStart {pctStart} and totalSteps {totalSteps} a phase of the cycle is empty (it would divide by zero, as torch does); change pctStart.");
            }

            start = phase.EndStep;
        }

        int groups = optimizer.ParameterGroups.Count;
        _max = Enumerable.Repeat(maxLr, groups).ToArray();
        _initial = _max.Select(m => m / divFactor).ToArray();
        _min = _initial.Select(i => i / finalDivFactor).ToArray();
        if (cycleMomentum)
        {
            optimizer.CycledMomentum = maxMomentum;
        }

        Start();
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The schedule has run past <c>totalSteps</c>.</exception>
    protected override double ComputeLearningRate(int group, double current, double initial)
    {
        int step = LastEpoch;
        if (step > _totalSteps)
        {
            throw new InvalidOperationException($"OneCycleLr: tried to step {step + 1} times; the specified number of total steps is {_totalSteps}.");
        }

        double start = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            Phase phase = _phases[i];
            if (step <= phase.EndStep || i == _phases.Length - 1)
            {
                double pct = (step - start) / (phase.EndStep - start);
                if (_cycleMomentum)
                {
                    Optimizer.CycledMomentum = Anneal(Momentum(phase.StartMomentum), Momentum(phase.EndMomentum), pct);
                }

                return Anneal(Rate(group, phase.StartLr), Rate(group, phase.EndLr), pct);
            }

            start = phase.EndStep;
        }

        throw new InvalidOperationException("OneCycleLr: unreachable, the last phase takes every step.");
    }

    private double Anneal(double start, double end, double pct) => _anneal == AnnealStrategy.Cos
        ? end + ((start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1))
        : ((end - start) * pct) + start;

    private double Rate(int group, Level level) => level switch
    {
        Level.Initial => _initial[group],
        Level.Max => _max[group],
        _ => _min[group],
    };

    private double Momentum(Level level) => level == Level.Base ? _baseMomentum : _maxMomentum;

    /// <summary>The named values a phase moves between (torch's 'initial_lr', 'max_lr', 'min_lr', 'base_momentum', 'max_momentum').</summary>
    private enum Level
    {
        Initial,
        Max,
        Min,
        Base,
    }

    /// <summary>One phase: it ends at step <see cref="EndStep"/> and moves the rate and the momentum between two levels.</summary>
    private readonly record struct Phase(double EndStep, Level StartLr, Level EndLr, Level StartMomentum, Level EndMomentum);
}
