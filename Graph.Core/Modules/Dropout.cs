namespace Graph.Core.Modules;

/// <summary>
/// Dropout, as <c>torch.nn.Dropout</c>: in a training graph each element is zeroed with probability <see cref="P"/>
/// and the rest scaled by 1/(1 − p); in an evaluation graph (or with p = 0) the identity, which adds no op.
/// </summary>
public sealed class Dropout : Module
{
    private readonly bool _training;
    private readonly int _seed;

    /// <summary>Dropout with probability <paramref name="p"/>; its mask's seed is drawn from <paramref name="nn"/>'s generator, so runs repeat.</summary>
    public Dropout(ModuleBuilder nn, double p = 0.5)
    {
        ArgumentNullException.ThrowIfNull(nn);
        if (!(p is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout: the probability p must be in [0, 1].");
        }

        (P, _training, _seed) = (p, nn.Training, nn.Random.NextInt(int.MaxValue));
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    protected override Value Build(Value x) => _training && P > 0 ? Ops.Dropout(x, P, training: true, _seed) : x;

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => [];
}
