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
    public void Check()
    {
        if (Epochs < 1)
        {
            throw new TrainOptionsException($"--epochs must be at least 1; got {Epochs}.");
        }

        if (BatchSize < 1)
        {
            throw new TrainOptionsException($"--batch-size must be at least 1; got {BatchSize}.");
        }

        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
        {
            throw new TrainOptionsException($"--lr must be a positive number; got {LearningRate}.");
        }

        if (Threads < 1)
        {
            throw new TrainOptionsException($"--threads must be at least 1; got {Threads}.");
        }

        // Fail before training rather than after it: a missing folder would lose the trained model.
        string? folder = Path.GetDirectoryName(OutputPath);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new TrainOptionsException($"--output: the folder '{folder}' does not exist.");
        }
    }
}
