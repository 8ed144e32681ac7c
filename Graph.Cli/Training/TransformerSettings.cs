namespace Graph.Cli.Training;

/// <summary>The settings of a <c>graph train --model transformer</c> run, every default filled in (<see cref="TrainOptions.ResolveTransformer"/>).</summary>
/// <param name="Epochs">Epochs of <paramref name="StepsPerEpoch"/> steps, each followed by the held-out evaluation.</param>
/// <param name="StepsPerEpoch">Training steps per epoch.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="LearningRate">The first step's learning rate, cosine-annealed towards 0 over the run.</param>
/// <param name="Seed">Seeds the initial parameters and the shuffling.</param>
/// <param name="Threads">Threads per session, or null for the default.</param>
/// <param name="OutputPath">The full path of the .graph file to write.</param>
/// <param name="Quiet">No progress bar.</param>
internal sealed record TransformerSettings(int Epochs, int StepsPerEpoch, int BatchSize, double LearningRate, int Seed, int? Threads, string OutputPath, bool Quiet)
{
    /// <summary>The default number of epochs.</summary>
    public const int DefaultEpochs = 5;

    /// <summary>The default steps per epoch.</summary>
    public const int DefaultStepsPerEpoch = 100;

    /// <summary>The default batch size.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>The default (first step's) learning rate.</summary>
    public const double DefaultLearningRate = 3e-3;

    /// <summary>The default output file's name, without the extension.</summary>
    public const string Name = "transformer";
}
