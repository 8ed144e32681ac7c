using System.Globalization;
using System.IO.Compression;
using Graph.Core;

namespace Graph.Data;

/// <summary>Parses the embedded digits CSV: per row 64 pixel values 0–16, row-major 8 × 8, then the label 0–9.</summary>
internal static class DigitsCsv
{
    private const string ResourceName = "Graph.Data.digits.csv.gz";
    private const int Pixels = Digits.Height * Digits.Width;

    /// <summary>Every example, in file order, pixels scaled to [0, 1].</summary>
    /// <exception cref="InvalidDataException">The embedded file is damaged (a build problem, never user input).</exception>
    public static Dataset LoadEmbedded()
    {
        using Stream compressed = typeof(DigitsCsv).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidDataException($"The embedded resource '{ResourceName}' is missing from {typeof(DigitsCsv).Assembly.GetName().Name}.");
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return Parse(reader);
    }

    /// <summary>Parses CSV text; a first line that does not start with a number is taken as a header and skipped.</summary>
    public static Dataset Parse(TextReader reader)
    {
        var pixels = new List<float>(Digits.Count * Pixels);
        var labels = new List<long>(Digits.Count);
        int lineNumber = 0;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && !char.IsAsciiDigit(line[0])))
            {
                continue;
            }

            string[] fields = line.Split(',');
            if (fields.Length != Pixels + 1)
            {
                throw new InvalidDataException($"Digits CSV line {lineNumber} has {fields.Length} fields; expected {Pixels} pixels and a label.");
            }

            for (int i = 0; i < Pixels; i++)
            {
                pixels.Add(ParseInteger(fields[i], Digits.MaxPixelValue, lineNumber, i) / (float)Digits.MaxPixelValue);
            }

            labels.Add(ParseInteger(fields[Pixels], Digits.Classes - 1, lineNumber, Pixels));
        }

        Tensor images = Tensor.FromArray(pixels.ToArray(), labels.Count, 1, Digits.Height, Digits.Width);
        return new Dataset(images, Tensor.FromArray(labels.ToArray(), labels.Count), Digits.Classes);
    }

    private static int ParseInteger(string field, int max, int lineNumber, int column)
    {
        // Accept "7" and "7.0": some exports of this set write the integers as floats.
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value != Math.Floor(value) || value < 0 || value > max)
        {
            throw new InvalidDataException($"Digits CSV line {lineNumber}, column {column + 1}: '{field}' is not an integer in [0, {max}].");
        }

        return (int)value;
    }
}
