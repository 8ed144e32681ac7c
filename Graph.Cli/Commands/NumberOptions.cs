using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Graph.Cli.Commands;

/// <summary>
/// Numeric options that say what is wrong in the user's words (<c>--epochs: 'abc' is not a whole number</c>) instead
/// of System.CommandLine's default, which names a .NET type (<c>System.Nullable`1[System.Int32]</c>).
/// </summary>
internal static class NumberOptions
{
    /// <summary>Makes <paramref name="option"/> report a value that is not a whole number in words; returns it.</summary>
    public static Option<int> WithWholeNumbers(this Option<int> option)
    {
        option.CustomParser = result => ParseWholeNumber(result) ?? default;
        return option;
    }

    /// <summary>Makes <paramref name="option"/> report a value that is not a whole number in words; returns it.</summary>
    public static Option<int?> WithWholeNumbers(this Option<int?> option)
    {
        option.CustomParser = ParseWholeNumber;
        return option;
    }

    /// <summary>Makes <paramref name="option"/> report a value that is not a number (decimal point and exponent allowed) in words; returns it.</summary>
    public static Option<double?> WithNumbers(this Option<double?> option)
    {
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            string text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                return value;
            }

            result.AddError($"{OptionName(result)}: '{text}' is not a number");
            return null;
        };
        return option;
    }

    private static int? ParseWholeNumber(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        result.AddError(IsDigits(text)
            ? string.Create(CultureInfo.InvariantCulture, $"{OptionName(result)}: '{text}' is too large for a whole number (from {int.MinValue} to {int.MaxValue})")
            : $"{OptionName(result)}: '{text}' is not a whole number");
        return null;
    }

    // Digits alone that int does not take: a whole number, only too large.
    private static bool IsDigits(string text)
    {
        string digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit);
    }

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
