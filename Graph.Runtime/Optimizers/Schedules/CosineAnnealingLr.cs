namespace Graph.Runtime;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingLR: each group's learning rate follows half a cosine from its own rate down
/// to <c>etaMin</c> over <c>tMax</c> steps, and back up over the next tMax (SGDR without restarts), computed with
/// torch's chainable recurrence.
/// </summary>
public sealed class CosineAnnealingLr : LearningRateScheduler
{
    private readonly int _tMax;
    private readonly double _etaMin;

    /// <summary>A cosine schedule of <paramref name="optimizer"/>'s learning rates with period 2·<paramref name="tMax"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tMax"/> is not positive, or <paramref name="etaMin"/> is negative or NaN.</exception>
    public CosineAnnealingLr(Optimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tMax);
        _etaMin = ParameterGroup.Checked(etaMin, nameof(etaMin));
        _tMax = tMax;
        Start();
    }

    /// <inheritdoc/>
    protected override double ComputeLearningRate(int group, double current, double initial)
    {
        int epoch = LastEpoch;
        if (epoch == 0)
        {
            return current;
        }

        // Python's % and C#'s differ for negative operands, but agree on when the remainder is 0.
        if ((epoch - 1L - _tMax) % (2L * _tMax) == 0)
        {
            return current + ((initial - _etaMin) * (1 - Math.Cos(Math.PI / _tMax)) / 2);
        }

        return ((1 + Math.Cos(Math.PI * epoch / _tMax)) / (1 + Math.Cos(Math.PI * (epoch - 1) / _tMax)) * (current - _etaMin)) + _etaMin;
    }
}
