using Graph.Core;
using Graph.Core.Modules;

namespace Graph.Cli.Training;

/// <summary>
/// The default model for the 8 × 8 digits: two 3 × 3 convolutions (16 and 32 channels) with batch norm and ReLU,
/// 2 × 2 max pooling and a linear classifier. About 20,000 parameters; small enough to train in seconds.
/// </summary>
internal sealed class DigitsNet : Module
{
    private readonly Sequential _layers;

    /// <summary>Declares the parameters (<c>conv1.weight</c>, <c>bn1.running_mean</c>, …, <c>fc.bias</c>) for <paramref name="classes"/> classes.</summary>
    public DigitsNet(ModuleBuilder nn, int classes)
    {
        _layers = new Sequential(
            new Conv2d(nn, "conv1", 1, 16, 3, padding: 1),
            new BatchNorm2d(nn, "bn1", 16),
            new ReLU(),
            new Conv2d(nn, "conv2", 16, 32, 3, padding: 1),
            new BatchNorm2d(nn, "bn2", 32),
            new ReLU(),
            new MaxPool2d(2),
            new Flatten(),
            new Linear(nn, "fc", 32 * 4 * 4, classes));
    }

    /// <inheritdoc/>
    protected override Value Build(Value x) => _layers.Forward(x);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => _layers.Parameters();
}
