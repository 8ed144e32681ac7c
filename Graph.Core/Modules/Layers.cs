namespace Graph.Core.Modules;

/// <summary><c>max(x, 0)</c>, as <c>torch.nn.ReLU</c>.</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    protected override Value Build(Value x) => x.Relu();

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => [];
}

/// <summary>Flattens every axis from <see cref="StartDim"/> on, as <c>torch.nn.Flatten</c> (start_dim 1 by default).</summary>
/// <param name="startDim">The first axis flattened.</param>
public sealed class Flatten(int startDim = 1) : Module
{
    /// <summary>The first axis flattened.</summary>
    public int StartDim { get; } = startDim;

    /// <inheritdoc/>
    protected override Value Build(Value x) => x.Flatten(StartDim);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => [];
}

/// <summary>2-D max pooling, as <c>torch.nn.MaxPool2d</c>.</summary>
/// <param name="kernel">The window size.</param>
/// <param name="stride">The step between windows (the window size when null).</param>
/// <param name="padding">Implicit −∞ padding on each side.</param>
public sealed class MaxPool2d(int kernel, int? stride = null, int padding = 0) : Module
{
    /// <inheritdoc/>
    protected override Value Build(Value x) => Ops.MaxPool2d(x, kernel, stride, padding);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => [];
}

/// <summary>2-D adaptive average pooling to a fixed output size, as <c>torch.nn.AdaptiveAvgPool2d</c>.</summary>
/// <param name="outH">The output height.</param>
/// <param name="outW">The output width.</param>
public sealed class AdaptiveAvgPool2d(int outH, int outW) : Module
{
    /// <inheritdoc/>
    protected override Value Build(Value x) => Ops.AdaptiveAvgPool2d(x, outH, outW);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => [];
}

/// <summary>Modules applied in order, as <c>torch.nn.Sequential</c>.</summary>
/// <param name="modules">The modules, first applied first.</param>
public sealed class Sequential(params Module[] modules) : Module
{
    /// <summary>The modules, first applied first.</summary>
    public IReadOnlyList<Module> Modules { get; } = modules;

    /// <inheritdoc/>
    protected override Value Build(Value x) => Modules.Aggregate(x, (h, m) => m.Forward(h));

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => Modules.SelectMany(m => m.Parameters());
}
