namespace Graph.Core;

/// <summary>
/// An immutable graph: its values in topological order (a value's id is its index). Made by
/// <see cref="GraphBuilder.Build"/>; compiled by Graph.Compiler.
/// </summary>
public sealed class ComputeGraph
{
    private readonly Value[] _values;
    private readonly Dictionary<string, Value> _byName;

    internal ComputeGraph(Value[] values)
    {
        _values = values;
        _byName = new Dictionary<string, Value>(values.Length, StringComparer.Ordinal);
        foreach (Value v in values)
        {
            _byName.Add(v.Name, v);
        }
    }

    /// <summary>Every value, in topological order; <c>Values[v.Id] == v</c>.</summary>
    public IReadOnlyList<Value> Values => _values;

    /// <summary>The inputs the session feeds.</summary>
    public IEnumerable<Value> Inputs => _values.Where(v => v.Kind == ValueKind.Input);

    /// <summary>The parameters, frozen ones and running statistics included.</summary>
    public IEnumerable<Value> Parameters => _values.Where(v => v.Kind == ValueKind.Parameter);

    /// <summary>The value named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No value has that name; the message lists similar names.</exception>
    public Value Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out Value? value))
        {
            return value;
        }

        string[] similar = _byName.Keys
            .Where(n => n.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(n, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Take(5)
            .ToArray();
        string hint = similar.Length > 0
            ? $" Similar names: {string.Join(", ", similar)}."
            : $" The graph's inputs are: {string.Join(", ", Inputs.Select(v => v.Name))}; parameters: {string.Join(", ", Parameters.Select(v => v.Name))}.";
        throw new KeyNotFoundException($"No value is named '{name}'.{hint}");
    }

    /// <summary>The value named <paramref name="name"/>, or false.</summary>
    public bool TryFind(string name, out Value? value) => _byName.TryGetValue(name, out value);

    /// <summary>The value of this graph that <paramref name="value"/> stands for: the same id and name, from this graph or the one it was compiled from.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a value of this graph.</exception>
    public Value Resolve(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Id < _values.Length && string.Equals(_values[value.Id].Name, value.Name, StringComparison.Ordinal))
        {
            return _values[value.Id];
        }

        throw new ArgumentException($"'{value.Name}' is not a value of this graph; use values from the GraphBuilder this graph was built with, or graph.Find(name).", nameof(value));
    }
}
