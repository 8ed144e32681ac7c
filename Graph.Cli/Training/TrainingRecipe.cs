using Graph.Core.Modules;
using Graph.Data;

namespace Graph.Cli.Training;

/// <summary>What <c>graph train</c> knows about one dataset: how to load it, the model, and the default settings.</summary>
/// <param name="Name">The dataset's name on the command line, also the default output file's name.</param>
/// <param name="Load">Loads the training and test sets; takes <c>--data</c>, or null for the default location.</param>
/// <param name="Model">Builds the model's parameters for a number of classes.</param>
/// <param name="Epochs">The default number of epochs.</param>
/// <param name="BatchSize">The default batch size.</param>
/// <param name="AdamLearningRate">The default learning rate with Adam.</param>
/// <param name="SgdLearningRate">The default learning rate with SGD (momentum 0.9).</param>
internal sealed record TrainingRecipe(
    string Name,
    Func<string?, (Dataset Train, Dataset Test)> Load,
    Func<ModuleBuilder, int, Module> Model,
    int Epochs,
    int BatchSize,
    double AdamLearningRate,
    double SgdLearningRate)
{
    /// <summary>The seed of the digits' train/test split: fixed, so every run is scored on the same 359 test images.</summary>
    public const int DigitsSplitSeed = 0;

    /// <summary>The embedded UCI digits, split 1438 / 359 (stratified, fixed).</summary>
    public static TrainingRecipe Digits { get; } = new(
        "digits",
        _ => Data.Digits.Load(DigitsSplitSeed),
        (nn, classes) => new DigitsNet(nn, classes),
        Epochs: 3,
        BatchSize: 32,
        AdamLearningRate: 3e-3,
        SgdLearningRate: 0.05);

    /// <summary>Fashion-MNIST's 60,000 training and 10,000 test images, read from IDX files.</summary>
    public static TrainingRecipe FashionMnist { get; } = new(
        "fashion-mnist",
        directory => Data.FashionMnist.Load(directory ?? Data.FashionMnist.DefaultDirectory),
        (nn, classes) => new FashionNet(nn, classes),
        Epochs: 3,
        BatchSize: 64,
        AdamLearningRate: 1e-3,
        SgdLearningRate: 0.05);

    /// <summary>Every recipe, by name.</summary>
    public static IReadOnlyList<TrainingRecipe> All { get; } = [Digits, FashionMnist];
}
