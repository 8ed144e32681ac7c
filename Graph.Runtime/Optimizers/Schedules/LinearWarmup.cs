namespace Graph.Runtime;

/// <summary>
/// torch.optim.lr_scheduler.LinearLR under the name users look for: each group's learning rate starts at
/// <c>startFactor</c> times its own and changes linearly to <c>endFactor</c> times it over <c>totalIterations</c>
/// steps, then stays (torch's chainable form: lr ← lr·(1 + (end − start) / (total·start + (epoch − 1)·(end − start)))).
/// </summary>
public sealed class LinearWarmup : LearningRateScheduler
{
    private readonly double _startFactor;
    private readonly double _endFactor;
    private readonly int _totalIterations;

    /// <summary>A linear ramp of <paramref name="optimizer"/>'s learning rates with torch's defaults (1/3 → 1 over 5 steps).</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="startFactor"/> is outside (0, 1] (at 0 torch divides by zero on the first step), <paramref name="endFactor"/>
    /// outside [0, 1], or <paramref name="totalIterations"/> not positive.
    /// </exception>
    public LinearWarmup(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIterations = 5)
        : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "LinearWarmup: startFactor must be in (0, 1].");
        }

        if (!(endFactor >= 0 && endFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "LinearWarmup: endFactor must be in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalIterations);
        (_startFactor, _endFactor, _totalIterations) = (startFactor, endFactor, totalIterations);
        Start();
    }

    /// <inheritdoc/>
    protected override double ComputeLearningRate(int group, double current, double initial)
    {
        if (LastEpoch == 0)
        {
            return current * _startFactor;
        }

        if (LastEpoch > _totalIterations)
        {
            return current;
        }

        double change = _endFactor - _startFactor;
        return current * (1.0 + (change / ((_totalIterations * _startFactor) + ((LastEpoch - 1) * change))));
    }
}
