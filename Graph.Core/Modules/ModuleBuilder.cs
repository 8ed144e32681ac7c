namespace Graph.Core.Modules;

/// <summary>
/// Creates modules' parameters in one graph: names them with the current scope (<c>layer1.0.</c>), draws
/// their initial values from one seeded generator (so a model is the same on every machine for a seed), and
/// carries whether the graph trains.
/// </summary>
public sealed class ModuleBuilder
{
    private readonly Stack<string> _scopes = new();

    /// <summary>Modules for <paramref name="graph"/>, initialized from <paramref name="seed"/>, in training or evaluation mode.</summary>
    public ModuleBuilder(GraphBuilder graph, int seed = 0, bool training = true, DType dtype = DType.Float32)
    {
        Graph = graph ?? throw new ArgumentNullException(nameof(graph));
        Random = new SeededRandom(seed);
        Training = training;
        DType = dtype;
    }

    /// <summary>The graph parameters are declared in.</summary>
    public GraphBuilder Graph { get; }

    /// <summary>The generator initial values are drawn from.</summary>
    public SeededRandom Random { get; }

    /// <summary>Whether batch norm uses batch statistics (and updates its running ones) and dropout drops.</summary>
    public bool Training { get; }

    /// <summary>The dtype of every parameter.</summary>
    public DType DType { get; }

    /// <summary>
    /// Starts a naming scope: parameters made inside it are prefixed with <paramref name="name"/> and a dot. An empty
    /// name adds no prefix, so a module built with the name <c>""</c> sits at the root: a <see cref="BasicBlock"/>
    /// built that way names its parameters <c>conv1.weight</c>, …, as the block's own PyTorch state_dict does.
    /// </summary>
    public IDisposable Scope(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _scopes.Push(name);
        return new ScopeExit(_scopes);
    }

    /// <summary>Declares a parameter named <paramref name="name"/> in the current scope.</summary>
    public Value Parameter(string name, Tensor initialValue, bool requiresGrad = true) =>
        Graph.Parameter(QualifiedName(name), initialValue, requiresGrad);

    /// <summary>The full name of <paramref name="name"/> in the current scope.</summary>
    public string QualifiedName(string name) => string.Join('.', _scopes.Reverse().Where(s => s.Length > 0).Append(name));

    /// <summary>Normal values with standard deviation <paramref name="std"/>.</summary>
    public Tensor Normal(Shape shape, double std) => Fill(shape, () => std * Random.NextNormal());

    /// <summary>Uniform values in [−<paramref name="bound"/>, <paramref name="bound"/>).</summary>
    public Tensor Uniform(Shape shape, double bound) => Fill(shape, () => bound * ((2 * Random.NextDouble()) - 1));

    private Tensor Fill(Shape shape, Func<double> next)
    {
        Tensor t = Tensor.Zeros(shape, DType);
        for (long i = 0; i < t.ElementCount; i++)
        {
            t.SetDouble(i, next());
        }

        return t;
    }

    private sealed class ScopeExit(Stack<string> scopes) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                scopes.Pop();
            }
        }
    }
}
