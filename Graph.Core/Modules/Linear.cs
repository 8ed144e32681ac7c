namespace Graph.Core.Modules;

/// <summary>
/// <c>y = x · Wᵀ + b</c> with W [out, in], as <c>torch.nn.Linear</c>, initialized as PyTorch does: W and b
/// uniform in ±1/√in (kaiming_uniform with a = √5 gives that bound for W).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Declares <c>{name}.weight</c> and, when <paramref name="bias"/>, <c>{name}.bias</c>.</summary>
    public Linear(ModuleBuilder nn, string name, int inFeatures, int outFeatures, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(nn);
        double bound = 1 / Math.Sqrt(inFeatures);
        using (nn.Scope(name))
        {
            Weight = nn.Parameter("weight", nn.Uniform(new Shape(outFeatures, inFeatures), bound));
            Bias = bias ? nn.Parameter("bias", nn.Uniform(new Shape(outFeatures), bound)) : null;
        }
    }

    /// <summary>The weight [out, in].</summary>
    public Value Weight { get; }

    /// <summary>The bias [out], or null.</summary>
    public Value? Bias { get; }

    /// <inheritdoc/>
    protected override Value Build(Value x) => Ops.Linear(x, Weight, Bias);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => Bias is null ? [Weight] : [Weight, Bias];
}
