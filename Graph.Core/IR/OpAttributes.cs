using System.Collections.Immutable;
using System.Text;

namespace Graph.Core;

/// <summary>
/// The static arguments of an op (axes, exponents, flags), immutable and ordered by key so that printing
/// and files are deterministic. A value is an <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/>, <see cref="DType"/>, <see cref="string"/> or an <see cref="int"/> array.
/// </summary>
public sealed class OpAttributes
{
    private readonly ImmutableSortedDictionary<string, object> _values;

    private OpAttributes(ImmutableSortedDictionary<string, object> values)
    {
        _values = values;
    }

    /// <summary>No attributes.</summary>
    public static OpAttributes Empty { get; } = new(ImmutableSortedDictionary.Create<string, object>(StringComparer.Ordinal));

    /// <summary>The attributes by name.</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>The number of attributes.</summary>
    public int Count => _values.Count;

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The value is not of an attribute type.</exception>
    public OpAttributes With(string key, object value)
    {
        if (value is not (int or long or double or bool or DType or string or int[]))
        {
            throw new ArgumentException($"Attribute '{key}' has type {value.GetType().Name}; attributes are int, long, double, bool, DType, string or int[].", nameof(value));
        }

        return new OpAttributes(_values.SetItem(key, value is int[] array ? array.Clone() : value));
    }

    /// <summary>Reads an int attribute.</summary>
    internal int GetInt(string key) => Get<int>(key);

    /// <summary>Reads a long attribute.</summary>
    internal long GetLong(string key) => Get<long>(key);

    /// <summary>Reads a double attribute.</summary>
    internal double GetDouble(string key) => Get<double>(key);

    /// <summary>Reads a bool attribute.</summary>
    internal bool GetBool(string key) => Get<bool>(key);

    /// <summary>Reads a bool attribute that may be absent, meaning <paramref name="absent"/>.</summary>
    internal bool GetBoolOrDefault(string key, bool absent) => _values.ContainsKey(key) ? Get<bool>(key) : absent;

    /// <summary>Reads a dtype attribute.</summary>
    internal DType GetDType(string key) => Get<DType>(key);

    /// <summary>Reads an int array attribute (the caller must not modify it).</summary>
    internal int[] GetInts(string key) => Get<int[]>(key);

    /// <summary>Prints as <c>axes=[0, 1], keep_dim=False</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach ((string key, object value) in _values)
        {
            text.Append(text.Length == 0 ? string.Empty : ", ").Append(key).Append('=').Append(Format(value));
        }

        return text.ToString();
    }

    private static string Format(object value) => value switch
    {
        int[] array => "[" + string.Join(", ", array) + "]",
        bool b => b ? "True" : "False",
        DType d => d.Name(),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private T Get<T>(string key)
    {
        if (!_values.TryGetValue(key, out object? value))
        {
            throw new OpRuleException($"attribute '{key}' is missing");
        }

        if (value is not T typed)
        {
            throw new OpRuleException($"attribute '{key}' is a {value.GetType().Name}, not a {typeof(T).Name}");
        }

        return typed;
    }
}
