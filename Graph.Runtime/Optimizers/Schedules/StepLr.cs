namespace Graph.Runtime;

/// <summary>
/// torch.optim.lr_scheduler.StepLR: every <c>stepSize</c> steps each group's learning rate is multiplied by
/// <c>gamma</c> (chainable: lr ← lr·γ when LastEpoch is a positive multiple of stepSize).
/// </summary>
public sealed class StepLr : LearningRateScheduler
{
    private readonly int _stepSize;
    private readonly double _gamma;

    /// <summary>Decays <paramref name="optimizer"/>'s learning rates by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSize"/> is not positive, or <paramref name="gamma"/> is negative or NaN.</exception>
    public StepLr(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        _gamma = ParameterGroup.Checked(gamma, nameof(gamma));
        _stepSize = stepSize;
        Start();
    }

    /// <inheritdoc/>
    protected override double ComputeLearningRate(int group, double current, double initial) =>
        LastEpoch == 0 || LastEpoch % _stepSize != 0 ? current : current * _gamma;
}
