namespace Graph.Core.Modules;

/// <summary>
/// Layer normalization over the last axes, as <c>torch.nn.LayerNorm</c>: weight 1 and bias 0 (elementwise_affine),
/// named <c>{name}.weight</c> and <c>{name}.bias</c> like its state_dict.
/// </summary>
public sealed class LayerNorm : Module
{
    private readonly int[] _normalizedShape;
    private readonly double _eps;

    /// <summary>Declares <c>{name}.weight</c> and <c>{name}.bias</c> of shape <paramref name="normalizedShape"/> (both only when <paramref name="elementwiseAffine"/>).</summary>
    public LayerNorm(ModuleBuilder nn, string name, int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(nn);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        (_normalizedShape, _eps) = ([.. normalizedShape], eps);
        if (elementwiseAffine)
        {
            var shape = new Shape(normalizedShape);
            using (nn.Scope(name))
            {
                Weight = nn.Parameter("weight", Tensor.Ones(shape, nn.DType));
                Bias = nn.Parameter("bias", Tensor.Zeros(shape, nn.DType));
            }
        }
    }

    /// <summary>Normalizes over the last axis, of size <paramref name="normalizedSize"/> (torch's <c>LayerNorm(d)</c>).</summary>
    public LayerNorm(ModuleBuilder nn, string name, int normalizedSize, double eps = 1e-5, bool elementwiseAffine = true)
        : this(nn, name, [normalizedSize], eps, elementwiseAffine)
    {
    }

    /// <summary>The scale γ, or null without an affine part.</summary>
    public Value? Weight { get; }

    /// <summary>The shift β, or null without an affine part.</summary>
    public Value? Bias { get; }

    /// <inheritdoc/>
    protected override Value Build(Value x) => Ops.LayerNorm(x, _normalizedShape, Weight, Bias, _eps);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => Weight is null ? [] : [Weight, Bias!];
}
