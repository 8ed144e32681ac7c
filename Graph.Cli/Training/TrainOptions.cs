namespace Graph.Cli.Training;

/// <summary>
/// The options of <c>graph train</c> as given; null means the dataset's default (see <see cref="TrainingRecipe"/>).
/// <see cref="Resolve"/> checks them and fills the defaults in.
/// </summary>
internal sealed record TrainOptions
{
    /// <summary>The optimizers <c>--optimizer</c> accepts.</summary>
    public static IReadOnlyList<string> Optimizers { get; } = ["adam", "sgd"];

    /// <summary>The models <c>--model</c> accepts.</summary>
    public static IReadOnlyList<string> Models { get; } = ["cnn", "transformer"];

    /// <summary><c>cnn</c> (a dataset's CNN), or <c>transformer</c> (the sorting transformer, <see cref="ResolveTransformer"/>).</summary>
    public string Model { get; init; } = "cnn";

    /// <summary>Training steps per epoch (transformer only; the CNN's epoch is a pass over its dataset).</summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>The dataset's name: <c>digits</c> or <c>fashion-mnist</c>.</summary>
    public string Dataset { get; init; } = TrainingRecipe.Digits.Name;

    /// <summary>Where the dataset's files are (fashion-mnist only).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Passes over the training set.</summary>
    public int? Epochs { get; init; }

    /// <summary>Examples per training step, and per evaluation step.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The first epoch's learning rate; later epochs anneal it (see <see cref="Trainer"/>).</summary>
    public double? LearningRate { get; init; }

    /// <summary><c>adam</c>, or <c>sgd</c> (with momentum 0.9).</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Seeds the initial parameters and the order of the examples in each epoch.</summary>
    public int Seed { get; init; }

    /// <summary>The threads each session's kernels use; null for <c>SessionOptions</c>' default.</summary>
    public int? Threads { get; init; }

    /// <summary>The .graph file to write; null for <c>{dataset}.graph</c> in the current directory.</summary>
    public string? Output { get; init; }

    /// <summary>No progress bar, even on an interactive terminal: only the per-epoch lines and the summary.</summary>
    public bool Quiet { get; init; }

    /// <summary>Time every kernel of the training session and print the profile after training.</summary>
    public bool Profile { get; init; }

    /// <summary>Where to write a checkpoint after every epoch (<see cref="TrainingCheckpoint"/>), or null for none.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>
    /// A checkpoint to continue: the run's settings (model, dataset, optimizer, epochs, batch size, learning rate,
    /// seed, steps per epoch) are the checkpoint's, whatever this record says; the others are this record's.
    /// </summary>
    public string? Resume { get; init; }

    /// <summary>The settings to train with: every default filled in, every value checked.</summary>
    /// <exception cref="TrainOptionsException">An option is out of range or does not apply to the dataset.</exception>
    public TrainSettings Resolve()
    {
        if (StepsPerEpoch is not null)
        {
            throw new TrainOptionsException("--steps-per-epoch applies to --model transformer only: a CNN's epoch is a pass over its dataset.");
        }

        TrainingRecipe recipe = TrainingRecipe.All.FirstOrDefault(r => r.Name == Dataset)
            ?? throw new TrainOptionsException($"Unknown dataset '{Dataset}'; choose one of {string.Join(", ", TrainingRecipe.All.Select(r => r.Name))}.");
        if (!Optimizers.Contains(Optimizer))
        {
            throw new TrainOptionsException($"Unknown optimizer '{Optimizer}'; choose one of {string.Join(", ", Optimizers)}.");
        }

        if (DataDirectory is not null && recipe == TrainingRecipe.Digits)
        {
            throw new TrainOptionsException("--data applies to fashion-mnist only: the digits are embedded in the program.");
        }

        bool sgd = Optimizer == "sgd";
        var settings = new TrainSettings(
            recipe,
            DataDirectory,
            Epochs ?? recipe.Epochs,
            BatchSize ?? recipe.BatchSize,
            LearningRate ?? (sgd ? recipe.SgdLearningRate : recipe.AdamLearningRate),
            sgd,
            Seed,
            Threads,
            Path.GetFullPath(Output ?? recipe.Name + ".graph"),
            Quiet,
            Profile);
        settings.Check();
        return settings;
    }

    /// <summary>The settings of <c>--model transformer</c>: every default filled in, every value checked.</summary>
    /// <exception cref="TrainOptionsException">An option is out of range or does not apply to the transformer.</exception>
    public TransformerSettings ResolveTransformer()
    {
        if (DataDirectory is not null || Dataset != TrainingRecipe.Digits.Name || Optimizer != "adam")
        {
            throw new TrainOptionsException("--dataset, --data and --optimizer apply to --model cnn only: the transformer trains with AdamW on sequences it makes itself.");
        }

        var settings = new TransformerSettings(
            Epochs ?? TransformerSettings.DefaultEpochs,
            StepsPerEpoch ?? TransformerSettings.DefaultStepsPerEpoch,
            BatchSize ?? TransformerSettings.DefaultBatchSize,
            LearningRate ?? TransformerSettings.DefaultLearningRate,
            Seed,
            Threads,
            Path.GetFullPath(Output ?? TransformerSettings.Name + ".graph"),
            Quiet);
        if (settings.StepsPerEpoch < 1)
        {
            throw new TrainOptionsException($"--steps-per-epoch must be at least 1; got {settings.StepsPerEpoch}.");
        }

        TrainSettings.Check(settings.Epochs, settings.BatchSize, settings.LearningRate, settings.Threads, settings.OutputPath);
        return settings;
    }
}
