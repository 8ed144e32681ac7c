namespace Graph.Cli.Training;

/// <summary>The settings of one training run, every default filled in (<see cref="TrainOptions.Resolve"/>).</summary>
/// <param name="Recipe">The dataset and its model.</param>
/// <param name="DataDirectory">Where the dataset's files are, or null for the default.</param>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="LearningRate">The first epoch's learning rate.</param>
/// <param name="UseSgd">SGD with momentum 0.9 instead of Adam.</param>
/// <param name="Seed">Seeds the initial parameters and the shuffling.</param>
/// <param name="Threads">Threads per session, or null for the default.</param>
/// <param name="OutputPath">The full path of the .graph file to write.</param>
/// <param name="Quiet">No progress bar.</param>
/// <param name="Profile">Time the training session's kernels (<c>SessionOptions.Profile</c>).</param>
internal sealed record TrainSettings(
    TrainingRecipe Recipe,
    string? DataDirectory,
    int Epochs,
    int BatchSize,
    double LearningRate,
    bool UseSgd,
    int Seed,
    int? Threads,
    string OutputPath,
    bool Quiet,
    bool Profile = false)
{
    /// <summary>The momentum SGD uses.</summary>
    public const double SgdMomentum = 0.9;

    /// <summary>Checks what the command line's own validation cannot see (a caller may build options in code).</summary>
    /// <exception cref="TrainOptionsException">A value is out of range, or the output's folder does not exist.</exception>
    public void Check() => Check(Epochs, BatchSize, LearningRate, Threads, OutputPath);

    /// <summary>The checks every model's settings share.</summary>
    /// <exception cref="TrainOptionsException">A value is out of range, or the output's folder does not exist.</exception>
    public static void Check(int epochs, int batchSize, double learningRate, int? threads, string outputPath)
    {
        if (epochs < 1)
        {
            throw new TrainOptionsException($"--epochs must be at least 1; got {epochs}.");
        }

        if (batchSize < 1)
        {
            throw new TrainOptionsException($"--batch-size must be at least 1; got {batchSize}.");
        }

        if (!(learningRate > 0 && double.IsFinite(learningRate)))
        {
            throw new TrainOptionsException($"--lr must be a positive number; got {learningRate}.");
        }

        if (threads < 1)
        {
            throw new TrainOptionsException($"--threads must be at least 1; got {threads}.");
        }

        // Fail before training rather than after it: a missing folder would lose the trained model.
        string? folder = Path.GetDirectoryName(outputPath);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new TrainOptionsException($"--output: the folder '{folder}' does not exist.");
        }
    }
}
