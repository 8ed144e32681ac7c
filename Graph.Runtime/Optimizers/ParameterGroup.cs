using Graph.Core;

namespace Graph.Runtime;

/// <summary>
/// Some of a session's parameters with their own learning rate and weight decay, as one of torch.optim's
/// <c>param_groups</c>: <c>new AdamW(session, [new ParameterGroup(weights), new ParameterGroup(biases, weightDecay: 0)])</c>.
/// A setting left null takes the optimizer's when the optimizer is built; afterwards the group's
/// <see cref="LearningRate"/> is what an lr scheduler changes.
/// </summary>
/// <remarks>
/// A group belongs to one optimizer: the optimizer fills in its settings and changes its learning rate, so
/// handing the same group object to a second optimizer throws. Build a new group for each optimizer.
/// </remarks>
public sealed class ParameterGroup
{
    private double? _learningRate;
    private double? _weightDecay;

    /// <summary>A group of <paramref name="parameters"/>; null settings take the optimizer's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative or not a number.</exception>
    public ParameterGroup(IEnumerable<Value> parameters, double? learningRate = null, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        _learningRate = learningRate is double lr ? Checked(lr, nameof(learningRate)) : null;
        _weightDecay = weightDecay is double wd ? Checked(wd, nameof(weightDecay)) : null;
    }

    /// <summary>The group's parameters, in the order given.</summary>
    public IReadOnlyList<Value> Parameters { get; }

    /// <summary>
    /// The group's learning rate: the one given, or the optimizer's once an optimizer is built from the group.
    /// Setting it changes what the next step uses.
    /// </summary>
    /// <exception cref="InvalidOperationException">Read before an optimizer was built from a group created without a learning rate.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value or NaN.</exception>
    public double LearningRate
    {
        get => _learningRate ?? throw Unset(nameof(LearningRate));
        set => _learningRate = Checked(value, nameof(LearningRate));
    }

    /// <summary>The group's weight decay: the one given, or the optimizer's once an optimizer is built from the group.</summary>
    /// <exception cref="InvalidOperationException">Read before an optimizer was built from a group created without a weight decay.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value or NaN.</exception>
    public double WeightDecay
    {
        get => _weightDecay ?? throw Unset(nameof(WeightDecay));
        set => _weightDecay = Checked(value, nameof(WeightDecay));
    }

    /// <summary>The optimizer that took this group, or null while no optimizer has.</summary>
    internal Optimizer? Owner { get; private set; }

    /// <summary>Makes the group <paramref name="owner"/>'s and fills in the settings it left to the optimizer.</summary>
    internal void Attach(Optimizer owner, double learningRate, double weightDecay)
    {
        if (Owner is not null)
        {
            throw new ArgumentException("This ParameterGroup already belongs to another optimizer, which changes its learning rate; build a new ParameterGroup for each optimizer.", "groups");
        }

        Owner = owner;
        _learningRate ??= learningRate;
        _weightDecay ??= weightDecay;
    }

    /// <summary>
    /// Sets the learning rate a scheduler computed, unchecked: torch writes whatever its schedule gives, and OneCycleLR's
    /// linear anneal at its last allowed step (LastEpoch = totalSteps) extrapolates below zero.
    /// </summary>
    internal void SetScheduledLearningRate(double value) => _learningRate = value;

    /// <summary><paramref name="value"/> when it is a usable setting (non-negative, not NaN).</summary>
    internal static double Checked(double value, string name) =>
        value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative (as torch.optim requires); got {value}.");

    private static InvalidOperationException Unset(string name) =>
        new($"ParameterGroup.{name}: this group was created without a {name} and takes the optimizer's, which it has only once an optimizer is built from it.");
}
