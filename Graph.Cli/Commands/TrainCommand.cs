using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Graph.Cli.Training;
using Graph.Data;
using Graph.Serialization;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph train</c>: trains a small CNN on the embedded digits (default) or on Fashion-MNIST, or with
/// <c>--model transformer</c> a decoder-only transformer that learns to sort digit sequences; prints each epoch's
/// loss and accuracies, and saves the trained model as a .graph file. Bad options or missing data print why and
/// exit with 1.
/// </summary>
internal static class TrainCommand
{
    /// <summary>The command, writing to <paramref name="output"/> and reporting errors to <paramref name="error"/>.</summary>
    public static Command Create(IAnsiConsole output, TextWriter error)
    {
        string[] datasets = TrainingRecipe.All.Select(r => r.Name).ToArray();
        var model = new Option<string>("--model") { Description = "cnn: a dataset's CNN; transformer: a decoder-only transformer sorting 6 digits 0-2 (minGPT's demo, no data needed), scored by exact match on 145 held-out sequences.", DefaultValueFactory = _ => "cnn" };
        model.AcceptOnlyFromAmong([.. TrainOptions.Models]);
        var stepsPerEpoch = new Option<int?>("--steps-per-epoch") { Description = $"Training steps per epoch, transformer only [default: {TransformerSettings.DefaultStepsPerEpoch}]." }.WithWholeNumbers();
        var dataset = new Option<string>("--dataset") { Description = "What to train on.", DefaultValueFactory = _ => TrainingRecipe.Digits.Name };
        dataset.AcceptOnlyFromAmong(datasets);
        var data = new Option<string?>("--data") { Description = $"The folder of Fashion-MNIST's IDX files [default: {FashionMnist.DefaultDirectory}].", HelpName = "DIR" };

        // Ranges are checked once, by TrainOptions.Resolve, for callers in code and on the command line alike.
        var epochs = new Option<int?>("--epochs") { Description = Defaults("Passes over the training set (transformer: epochs of --steps-per-epoch steps)", r => Invariant(r.Epochs), TransformerSettings.DefaultEpochs) }.WithWholeNumbers();
        var batchSize = new Option<int?>("--batch-size") { Description = Defaults("Examples per step", r => Invariant(r.BatchSize), TransformerSettings.DefaultBatchSize) }.WithWholeNumbers();
        var lr = new Option<double?>("--lr") { Description = Defaults("The first epoch's learning rate, cosine-annealed towards 0 over the epochs", r => $"{Invariant(r.AdamLearningRate)} (sgd {Invariant(r.SgdLearningRate)})", TransformerSettings.DefaultLearningRate) }.WithNumbers();
        var optimizer = new Option<string>("--optimizer") { Description = "adam, or sgd with momentum 0.9.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong([.. TrainOptions.Optimizers]);
        var seed = new Option<int>("--seed") { Description = "Seeds the initial parameters and the shuffling.", DefaultValueFactory = _ => 0 }.WithWholeNumbers();
        var threads = new Option<int?>("--threads") { Description = "Threads for the kernels [default: the processor count, or GRAPH_THREADS]." }.WithWholeNumbers();
        var outputPath = new Option<string?>("--output", "-o") { Description = "The .graph file to write [default: DATASET.graph in the current folder].", HelpName = "PATH" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar; only the per-epoch lines and the summary (also what a redirected output gets)." };
        var profile = new Option<bool>("--profile") { Description = "Time every kernel of the training steps and print where the time went, per op, after training." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Write a checkpoint after every epoch: PATH (JSON: settings, epochs done, results) and the training session beside it as PATH.epoch-N.graph.", HelpName = "PATH" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run a checkpoint stopped, bit for bit, with its settings (only --data, --threads, --output, --quiet, --profile and --checkpoint may be given).", HelpName = "CHECKPOINT" };
        Option[] definesTheRun = [model, stepsPerEpoch, dataset, epochs, batchSize, lr, optimizer, seed];

        var command = new Command("train", "Train a small CNN on the embedded digits or on Fashion-MNIST, or a transformer that sorts digits, and save it as a .graph file.");
        foreach (Option option in (Option[])[model, stepsPerEpoch, dataset, data, epochs, batchSize, lr, optimizer, seed, threads, outputPath, quiet, profile, checkpoint, resume])
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            // A resumed run is the checkpoint's: another epoch count, rate or seed would not continue it.
            string[] given = definesTheRun.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
            if (result.GetResult(resume) is { Implicit: false } && given.Length > 0)
            {
                result.AddError($"--resume continues a run with the checkpoint's settings; leave out {string.Join(", ", given)}.");
            }
        });
        command.SetAction(parse => Run(
            new TrainOptions
            {
                Model = parse.GetValue(model)!,
                StepsPerEpoch = parse.GetValue(stepsPerEpoch),
                Dataset = parse.GetValue(dataset)!,
                DataDirectory = parse.GetValue(data),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(lr),
                Optimizer = parse.GetValue(optimizer)!,
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Output = parse.GetValue(outputPath),
                Quiet = parse.GetValue(quiet),
                Profile = parse.GetValue(profile),
                Checkpoint = parse.GetValue(checkpoint),
                Resume = parse.GetValue(resume),
            },
            output,
            error));
        return command;
    }

    /// <summary>Trains as <paramref name="options"/> say; returns the exit code (0, or 1 after printing why to <paramref name="error"/>).</summary>
    public static int Run(TrainOptions options, IAnsiConsole output, TextWriter error)
    {
        try
        {
            Train(options, output);
            return 0;
        }
        catch (Exception e) when (e is TrainOptionsException or IdxFormatException or GraphFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"graph train: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Loads the data, trains (from the start, or from <see cref="TrainOptions.Resume"/>'s checkpoint), writes a
    /// checkpoint after every epoch when <see cref="TrainOptions.Checkpoint"/> is set, saves the model, and prints the
    /// run to <paramref name="output"/>.
    /// </summary>
    /// <exception cref="TrainOptionsException">An option is wrong, or the checkpoint to resume is missing or not one.</exception>
    /// <exception cref="FileNotFoundException">The dataset's files are missing; the message says how to install them.</exception>
    /// <exception cref="IdxFormatException">A dataset file is malformed.</exception>
    /// <exception cref="GraphFormatException">The checkpoint's session file is damaged.</exception>
    /// <exception cref="IOException">A file cannot be read, or the model or a checkpoint cannot be written.</exception>
    public static TrainResult Train(TrainOptions options, IAnsiConsole output)
    {
        TrainingCheckpoint? resumed = options.Resume is null ? null : TrainingCheckpoint.Read(options.Resume);
        var run = new TrainingRun(
            resumed?.Continue(options) ?? options,
            resumed?.ResumePoint(options.Resume!),
            resumed?.History ?? [],
            CheckpointPath(options.Checkpoint));
        return run.Options.Model == "transformer" ? TrainTransformer(run, output) : TrainClassifier(run, output);
    }

    private static TrainResult TrainClassifier(TrainingRun run, IAnsiConsole output)
    {
        var clock = Stopwatch.StartNew();
        TrainSettings settings = run.Options.Resolve();
        (Dataset train, Dataset test) = settings.Recipe.Load(settings.DataDirectory);
        if (settings.BatchSize > train.Count)
        {
            throw new TrainOptionsException($"--batch-size {settings.BatchSize} is more than the {train.Count} training examples.");
        }

        // Plain lines go to the writer itself: Spectre.Console wraps them at the console's width.
        output.Profile.Out.Writer.WriteLine(Describe(settings, train, test));
        using var trainer = new Trainer(settings, train, run.Resume);
        List<EpochResult> epochs = Epochs(
            run,
            settings.Epochs,
            output,
            settings.Quiet,
            (epoch, progress) => trainer.RunEpoch(epoch, train, test, progress),
            (path, done) => TrainingCheckpoint.Of(settings, done).Write(path, trainer.TrainingSession));

        if (settings.Profile)
        {
            output.Profile.Out.Writer.WriteLine($"where the training steps' time went (forward and backward, {(run.Resume is null ? "all epochs" : "the epochs of this process")}):{Environment.NewLine}{trainer.TrainingProfile()}");
        }

        GraphFile.Save(trainer.Model, settings.OutputPath);
        var result = new TrainResult(epochs, settings.OutputPath, clock.Elapsed.TotalSeconds);
        output.Profile.Out.Writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"test accuracy: final {100 * result.FinalTestAccuracy:F2}%, best {100 * result.Best.TestAccuracy:F2}% (epoch {result.Best.Epoch}); {result.Seconds:F1} s; saved the final model to {result.OutputPath}"));
        return result;
    }

    /// <summary>Trains the sorting transformer, saves it, and prints the run (<c>--model transformer</c>).</summary>
    private static TrainResult TrainTransformer(TrainingRun run, IAnsiConsole output)
    {
        var clock = Stopwatch.StartNew();
        TransformerSettings settings = run.Options.ResolveTransformer();
        var task = SortTask.Create();
        output.Profile.Out.Writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"transformer: sorting {SortTask.Length} digits 0-{SortTask.Digits - 1}, {task.Train.Count} training and {task.Test.Count} held-out sequences; " +
            $"adamw lr {settings.LearningRate:G4} cosine per step, clip {SortTrainer.MaxGradNorm:G3}, batch {settings.BatchSize}, {settings.Epochs} epochs of {settings.StepsPerEpoch} steps, seed {settings.Seed}"));
        using var trainer = new SortTrainer(settings, task, run.Resume);
        List<EpochResult> epochs = Epochs(
            run,
            settings.Epochs,
            output,
            settings.Quiet,
            trainer.RunEpoch,
            (path, done) => TrainingCheckpoint.Of(settings, done).Write(path, trainer.TrainingSession));

        GraphFile.Save(trainer.Model, settings.OutputPath);
        var result = new TrainResult(epochs, settings.OutputPath, clock.Elapsed.TotalSeconds);
        EpochResult? first = epochs.FirstOrDefault(e => e.TestAccuracy == 1);
        output.Profile.Out.Writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"held-out exact match: final {100 * result.FinalTestAccuracy:F2}%, best {100 * result.Best.TestAccuracy:F2}% (epoch {result.Best.Epoch}); " +
            $"{(first is null ? "never 100%" : $"100% first after epoch {first.Epoch}")}; {result.Seconds:F1} s; saved the final model to {result.OutputPath}"));
        return result;
    }

    /// <summary>
    /// Runs the epochs the run has left, and after each writes the checkpoint (<paramref name="writeCheckpoint"/> of
    /// the path and the epochs done) when the run has one; returns every epoch's results, the resumed ones first.
    /// </summary>
    private static List<EpochResult> Epochs(TrainingRun run, int total, IAnsiConsole output, bool quiet, Func<int, ITrainingProgress, EpochResult> runEpoch, Action<string, EpochResult[]> writeCheckpoint)
    {
        var epochs = new List<EpochResult>(run.History);
        if (run.Resume is not null)
        {
            output.Profile.Out.Writer.WriteLine($"resuming after epoch {run.Resume.EpochsDone}/{total} from {run.Options.Resume}");
        }

        WithProgress(output, quiet, total, progress =>
        {
            for (int epoch = epochs.Count + 1; epoch <= total; epoch++)
            {
                epochs.Add(runEpoch(epoch, progress));
                if (run.CheckpointPath is string path)
                {
                    writeCheckpoint(path, [.. epochs]);
                }
            }
        });
        return epochs;
    }

    /// <summary>The full path of <c>--checkpoint</c>, checked before training so that no epoch is lost to a missing folder.</summary>
    private static string? CheckpointPath(string? checkpoint)
    {
        if (checkpoint is null)
        {
            return null;
        }

        string path = Path.GetFullPath(checkpoint);
        string folder = Path.GetDirectoryName(path)!;
        return Directory.Exists(folder) ? path : throw new TrainOptionsException($"--checkpoint: the folder '{folder}' does not exist.");
    }

    /// <summary>Runs <paramref name="train"/> with a live progress bar on a real terminal, or plain per-epoch lines.</summary>
    private static void WithProgress(IAnsiConsole output, bool quiet, int epochs, Action<ITrainingProgress> train)
    {
        // Redrawn progress bars turn into thousands of lines in a CI log: animate only on a real terminal.
        if (!quiet && output.Profile.Capabilities.Interactive && output.Profile.Capabilities.Ansi && output.Profile.Out.IsTerminal)
        {
            output.Progress()
                .HideCompleted(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context => train(new LiveProgress(context, output, epochs)));
        }
        else
        {
            train(new PlainProgress(output, epochs));
        }
    }

    private static string Describe(TrainSettings s, Dataset train, Dataset test) => string.Create(
        CultureInfo.InvariantCulture,
        $"{s.Recipe.Name}: {train.Count} training and {test.Count} test images, {train.Channels}×{train.Height}×{train.Width}, {train.Classes} classes; " +
        $"{(s.UseSgd ? "sgd" : "adam")} lr {s.LearningRate:G4}, batch {s.BatchSize}, {s.Epochs} epochs, seed {s.Seed}");

    private static string Defaults(string what, Func<TrainingRecipe, string> value, double transformer) =>
        $"{what} [default: {string.Join(", ", TrainingRecipe.All.Select(r => $"{value(r)} on {r.Name}"))}, {Invariant(transformer)} for the transformer].";

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One run: its options (a resumed run's from the checkpoint), where it resumes, the epochs done, and where its checkpoints go.</summary>
    private sealed record TrainingRun(TrainOptions Options, ResumePoint? Resume, IReadOnlyList<EpochResult> History, string? CheckpointPath);
}
