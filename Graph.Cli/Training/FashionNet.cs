using Graph.Core;
using Graph.Core.Modules;

namespace Graph.Cli.Training;

/// <summary>
/// The model for 28 × 28 Fashion-MNIST: two blocks of a 3 × 3 convolution (32, then 64 channels), batch norm,
/// ReLU and 2 × 2 max pooling, then a linear classifier on the 64 × 7 × 7 features.
/// </summary>
internal sealed class FashionNet : Module
{
    private readonly Sequential _layers;

    /// <summary>Declares the parameters (<c>conv1.weight</c>, <c>bn1.running_mean</c>, …, <c>fc.bias</c>) for <paramref name="classes"/> classes.</summary>
    public FashionNet(ModuleBuilder nn, int classes)
    {
        _layers = new Sequential(
            new Conv2d(nn, "conv1", 1, 32, 3, padding: 1),
            new BatchNorm2d(nn, "bn1", 32),
            new ReLU(),
            new MaxPool2d(2),
            new Conv2d(nn, "conv2", 32, 64, 3, padding: 1),
            new BatchNorm2d(nn, "bn2", 64),
            new ReLU(),
            new MaxPool2d(2),
            new Flatten(),
            new Linear(nn, "fc", 64 * 7 * 7, classes));
    }

    /// <inheritdoc/>
    protected override Value Build(Value x) => _layers.Forward(x);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => _layers.Parameters();
}
