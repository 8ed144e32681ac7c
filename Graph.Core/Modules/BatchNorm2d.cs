namespace Graph.Core.Modules;

/// <summary>
/// Batch normalization over [N, C, H, W], as <c>torch.nn.BatchNorm2d</c>: weight 1, bias 0, running mean 0
/// and running variance 1 (the running statistics are parameters without gradients, updated in training).
/// </summary>
public sealed class BatchNorm2d : Module
{
    private readonly bool _training;
    private readonly double _momentum;
    private readonly double _eps;

    /// <summary>Declares <c>{name}.weight</c>, <c>.bias</c>, <c>.running_mean</c> and <c>.running_var</c>, each [channels].</summary>
    public BatchNorm2d(ModuleBuilder nn, string name, int channels, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(nn);
        (_training, _momentum, _eps) = (nn.Training, momentum, eps);
        var shape = new Shape(channels);
        using (nn.Scope(name))
        {
            Weight = nn.Parameter("weight", Tensor.Ones(shape, nn.DType));
            Bias = nn.Parameter("bias", Tensor.Zeros(shape, nn.DType));
            RunningMean = nn.Parameter("running_mean", Tensor.Zeros(shape, nn.DType), requiresGrad: false);
            RunningVar = nn.Parameter("running_var", Tensor.Ones(shape, nn.DType), requiresGrad: false);
        }
    }

    /// <summary>The scale γ.</summary>
    public Value Weight { get; }

    /// <summary>The shift β.</summary>
    public Value Bias { get; }

    /// <summary>The running mean.</summary>
    public Value RunningMean { get; }

    /// <summary>The running (unbiased) variance.</summary>
    public Value RunningVar { get; }

    /// <inheritdoc/>
    protected override Value Build(Value x) => Ops.BatchNorm2d(x, Weight, Bias, RunningMean, RunningVar, _training, _momentum, _eps);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => [Weight, Bias, RunningMean, RunningVar];
}
