namespace Graph.Core;

public sealed partial class GraphBuilder
{
    /// <summary>
    /// Sets where the values built until the scope ends were written (<see cref="Value.Source"/>), unless an
    /// enclosing call already set it: the outermost call a user made is the one recorded, so the matmul and add of
    /// <c>Ops.Linear</c> both cite the user's line, not the line inside Ops.
    /// </summary>
    internal SourceScope At(string file, int line) =>
        _source is null && !string.IsNullOrEmpty(file) ? new SourceScope(this, _source, $"{Path.GetFileName(file)}:{line}") : default;

    /// <summary>Sets the location of the values <paramref name="node"/>'s gradient rule builds: <c>backward of mul at Model.cs:42</c>.</summary>
    internal SourceScope BackwardOf(Value node) =>
        new(this, _source, node.Source is null ? null : $"backward of {node.Op!.Name} at {node.Source}");

    /// <summary>Restores the builder's location when disposed; the default instance does nothing.</summary>
    internal readonly struct SourceScope : IDisposable
    {
        private readonly GraphBuilder? _builder;
        private readonly string? _previous;

        public SourceScope(GraphBuilder builder, string? previous, string? source)
        {
            _builder = builder;
            _previous = previous;
            builder._source = source;
        }

        public void Dispose()
        {
            if (_builder is not null)
            {
                _builder._source = _previous;
            }
        }
    }
}
