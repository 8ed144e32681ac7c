namespace Graph.Core.Modules;

/// <summary>
/// A 2-D convolution, as <c>torch.nn.Conv2d</c>, initialized as torchvision's ResNet does: Kaiming normal
/// with fan_out (std = √(2 / (out · kH · kW))); a bias, when asked for, starts at 0.
/// </summary>
public sealed class Conv2d : Module
{
    private readonly int _stride;
    private readonly int _padding;
    private readonly int _dilation;
    private readonly int _groups;

    /// <summary>Declares <c>{name}.weight</c> [out, in/groups, k, k] and, when <paramref name="bias"/>, <c>{name}.bias</c>.</summary>
    public Conv2d(ModuleBuilder nn, string name, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = false)
    {
        ArgumentNullException.ThrowIfNull(nn);
        (_stride, _padding, _dilation, _groups) = (stride, padding, dilation, groups);
        double std = Math.Sqrt(2.0 / (outChannels * kernelSize * kernelSize));
        using (nn.Scope(name))
        {
            Weight = nn.Parameter("weight", nn.Normal(new Shape(outChannels, inChannels / groups, kernelSize, kernelSize), std));
            Bias = bias ? nn.Parameter("bias", Tensor.Zeros(new Shape(outChannels), nn.DType)) : null;
        }
    }

    /// <summary>The kernel [out, in/groups, k, k].</summary>
    public Value Weight { get; }

    /// <summary>The bias [out], or null.</summary>
    public Value? Bias { get; }

    /// <inheritdoc/>
    protected override Value Build(Value x) => Ops.Conv2d(x, Weight, Bias, _stride, _padding, _dilation, _groups);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => Bias is null ? [Weight] : [Weight, Bias];
}
