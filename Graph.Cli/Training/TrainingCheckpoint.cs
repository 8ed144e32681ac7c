using System.Text.Json;
using System.Text.Json.Serialization;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Cli.Training;

/// <summary>
/// What <c>graph train --checkpoint PATH</c> writes after every epoch, and <c>--resume PATH</c> continues from: the
/// run's settings, the epochs done with their results, and the name of the training session's .graph file beside it
/// (<c>PATH.epoch-N.graph</c>: parameters, running statistics, optimizer moments and step counts, the forward-pass
/// count dropout draws from).
/// </summary>
/// <remarks>
/// <para>
/// The rest of the run's state is a function of the settings and the epochs done, so it is rebuilt rather than
/// stored: the learning rate of each epoch (and the transformer's scheduler, by
/// <see cref="LearningRateScheduler.Resume"/>) and the shuffled order of the examples, whose generator is replayed
/// from the seed through the epochs done (integer work only). A resumed run therefore ends bit for bit where the
/// uninterrupted one does.
/// </para>
/// <para>
/// Writing is atomic: the session goes to a new file (itself written to a temporary name and renamed), then this
/// JSON file is replaced the same way, then older session files are deleted. A crash at any moment leaves a
/// checkpoint naming a complete session file.
/// </para>
/// </remarks>
internal sealed record TrainingCheckpoint
{
    /// <summary>The <see cref="Format"/> every checkpoint has.</summary>
    public const string FormatName = "graph train checkpoint";

    /// <summary>The <see cref="Version"/> this program writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>: tells a checkpoint from another JSON file.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The layout's version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary><c>--model</c>.</summary>
    public required string Model { get; init; }

    /// <summary><c>--dataset</c>.</summary>
    public required string Dataset { get; init; }

    /// <summary><c>--optimizer</c>.</summary>
    public required string Optimizer { get; init; }

    /// <summary><c>--epochs</c>: the whole run's, which the learning rate's schedule spans.</summary>
    public required int Epochs { get; init; }

    /// <summary><c>--steps-per-epoch</c> (transformer), or null.</summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary><c>--batch-size</c>.</summary>
    public required int BatchSize { get; init; }

    /// <summary><c>--lr</c>.</summary>
    public required double LearningRate { get; init; }

    /// <summary><c>--seed</c>.</summary>
    public required int Seed { get; init; }

    /// <summary><c>--output</c>, as a full path: where the model goes at the end unless the resumed run says otherwise.</summary>
    public required string Output { get; init; }

    /// <summary>The epochs finished.</summary>
    public required int EpochsDone { get; init; }

    /// <summary>The training session's file name, in the checkpoint's folder.</summary>
    public required string Session { get; init; }

    /// <summary>Every finished epoch's results, in order: the resumed run's summary covers the whole run.</summary>
    public required IReadOnlyList<EpochResult> History { get; init; }

    /// <summary>The checkpoint of a CNN run after <paramref name="history"/>'s epochs.</summary>
    public static TrainingCheckpoint Of(TrainSettings s, IReadOnlyList<EpochResult> history) => new()
    {
        Model = "cnn",
        Dataset = s.Recipe.Name,
        Optimizer = s.UseSgd ? "sgd" : "adam",
        Epochs = s.Epochs,
        BatchSize = s.BatchSize,
        LearningRate = s.LearningRate,
        Seed = s.Seed,
        Output = s.OutputPath,
        EpochsDone = history.Count,
        Session = string.Empty,
        History = history,
    };

    /// <summary>The checkpoint of a transformer run after <paramref name="history"/>'s epochs.</summary>
    public static TrainingCheckpoint Of(TransformerSettings s, IReadOnlyList<EpochResult> history) => new()
    {
        Model = "transformer",
        Dataset = TrainingRecipe.Digits.Name,
        Optimizer = "adam",
        Epochs = s.Epochs,
        StepsPerEpoch = s.StepsPerEpoch,
        BatchSize = s.BatchSize,
        LearningRate = s.LearningRate,
        Seed = s.Seed,
        Output = s.OutputPath,
        EpochsDone = history.Count,
        Session = string.Empty,
        History = history,
    };

    /// <summary>
    /// <paramref name="given"/> with the settings that define the run taken from this checkpoint; the ones that do
    /// not change the numbers (threads, data folder, output, progress, profile, checkpoint) stay as given.
    /// </summary>
    /// <exception cref="TrainOptionsException">The run is already complete.</exception>
    public TrainOptions Continue(TrainOptions given)
    {
        if (EpochsDone >= Epochs)
        {
            throw new TrainOptionsException($"--resume: the checkpoint's run is complete ({EpochsDone} of {Epochs} epochs); its model is {Output}.");
        }

        return given with
        {
            Model = Model,
            Dataset = Dataset,
            Optimizer = Optimizer,
            Epochs = Epochs,
            StepsPerEpoch = StepsPerEpoch,
            BatchSize = BatchSize,
            LearningRate = LearningRate,
            Seed = Seed,
            Output = given.Output ?? Output,
        };
    }

    /// <summary>Where the run resumes: the session file, found beside the checkpoint at <paramref name="path"/>.</summary>
    public ResumePoint ResumePoint(string path) => new(Path.Combine(Folder(path), Session), EpochsDone);

    /// <summary>Saves <paramref name="session"/> and this checkpoint at <paramref name="path"/>, atomically, and deletes the sessions of earlier epochs.</summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">A file or the folder may not be written.</exception>
    public void Write(string path, Session session)
    {
        string folder = Folder(path);
        string prefix = Path.GetFileName(path) + ".epoch-";
        string sessionFile = $"{prefix}{EpochsDone}.graph";
        GraphFile.Save(session, Path.Combine(folder, sessionFile));
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(this with { Session = sessionFile }, CheckpointJson.Default.TrainingCheckpoint);
        AtomicFile.Write(path, stream => stream.Write(json));

        // Only now is the new session the one the checkpoint names: the older ones (and any a crash left) can go.
        foreach (string old in Directory.EnumerateFiles(folder, prefix + "*.graph"))
        {
            if (Path.GetFileName(old) != sessionFile)
            {
                File.Delete(old);
            }
        }
    }

    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="TrainOptionsException">The file is missing, is not a checkpoint, or is of another version; the message says which.</exception>
    public static TrainingCheckpoint Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TrainOptionsException($"--resume: there is no checkpoint '{path}'; `graph train --checkpoint {path}` writes one after every epoch.");
        }

        TrainingCheckpoint checkpoint;
        try
        {
            // Format and version first: a checkpoint of another version may lack the fields this one requires.
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            {
                throw new TrainOptionsException($"--resume: '{path}' is not a graph train checkpoint (its format should be \"{FormatName}\").");
            }

            int version = root.TryGetProperty("version", out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int number) ? number : -1;
            if (version != CurrentVersion)
            {
                throw new TrainOptionsException($"--resume: '{path}' is a version {version} checkpoint; this graph reads version {CurrentVersion}.");
            }

            checkpoint = root.Deserialize(CheckpointJson.Default.TrainingCheckpoint)!;
        }
        catch (JsonException e)
        {
            throw new TrainOptionsException($"--resume: '{path}' is not a graph train checkpoint ({e.Message}).");
        }

        // Null despite the types when the JSON says null: the generated reader does not enforce nullability.
        if (checkpoint.History is null || checkpoint.History.Count != checkpoint.EpochsDone
            || string.IsNullOrEmpty(checkpoint.Session) || checkpoint.Session != Path.GetFileName(checkpoint.Session))
        {
            throw new TrainOptionsException($"--resume: '{path}' is damaged: it should list the results of its {checkpoint.EpochsDone} epochs done and name a session file in its own folder.");
        }

        return checkpoint;
    }

    private static string Folder(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;
}

/// <summary>The checkpoint's JSON, generated at compile time: snake_case names, NaN losses allowed.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(TrainingCheckpoint))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
