namespace Graph.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 70,000 grey 28 × 28 images of clothing in 10 classes, 60,000 for
/// training and 10,000 for testing, as four IDX files. Debian's <c>dataset-fashion-mnist</c> package installs them,
/// gzipped, in <see cref="DefaultDirectory"/>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The number of classes.</summary>
    public const int Classes = 10;

    /// <summary>The training images file's name, without the optional <c>.gz</c>.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>The training labels file's name, without the optional <c>.gz</c>.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>The test images file's name, without the optional <c>.gz</c>.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>The test labels file's name, without the optional <c>.gz</c>.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    private static readonly string[] s_files = [TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile];

    /// <summary>What each label means, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads the training and test sets from <paramref name="directory"/>, where each of the four files may be plain
    /// or gzipped (<c>.gz</c>; a plain file wins when both exist). Images are float32 <c>[N, 1, 28, 28]</c> in [0, 1].
    /// </summary>
    /// <param name="directory">The folder holding the files, for example <see cref="DefaultDirectory"/>.</param>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the names expected and how to get them.</exception>
    /// <exception cref="IdxFormatException">A file is malformed, or images and labels disagree.</exception>
    public static (Dataset Train, Dataset Test) Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var found = new string[s_files.Length];
        var missing = new List<string>();
        for (int i = 0; i < s_files.Length; i++)
        {
            string plain = Path.Combine(directory, s_files[i]);
            string gzipped = plain + ".gz";
            found[i] = File.Exists(plain) ? plain : File.Exists(gzipped) ? gzipped : string.Empty;
            if (found[i].Length == 0)
            {
                missing.Add(s_files[i]);
            }
        }

        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"Fashion-MNIST is not there: {WhatIsMissing(directory, missing)}. " +
                $"Install them with 'apt-get install dataset-fashion-mnist' (into {DefaultDirectory}) or point --data DIR at a folder that has them.",
                Path.Combine(directory, missing[0]));
        }

        Dataset train = IdxDataset.Load(found[0], found[1], Classes);
        Dataset test = IdxDataset.Load(found[2], found[3], Classes);
        return (train, test);
    }

    /// <summary>Which of the four files <paramref name="directory"/> lacks, naming each file once.</summary>
    private static string WhatIsMissing(string directory, List<string> missing)
    {
        static string List(IEnumerable<string> names) => string.Join(", ", names.Select(name => $"{name}[.gz]"));
        if (!Directory.Exists(directory))
        {
            return $"the folder '{directory}' does not exist (it should hold the four files {List(s_files)})";
        }

        return missing.Count == s_files.Length
            ? $"the folder '{directory}' has none of the four files {List(s_files)}"
            : $"the folder '{directory}' has {List(s_files.Except(missing))} but not {List(missing)}";
    }
}
