namespace Graph.Core.Modules;

/// <summary>
/// A building block of a network, as a <c>torch.nn.Module</c>: it declares its parameters in the graph when
/// it is constructed (named with its path, like <c>layer1.0.conv1.weight</c>) and builds its computation each
/// time <see cref="Forward"/> is called. Whether it trains (batch statistics, dropout) is fixed when the graph
/// is built, as a define-then-run graph fixes everything: build one graph to train and one to evaluate.
/// </summary>
public abstract class Module
{
    /// <summary>Builds the module's computation on <paramref name="x"/>.</summary>
    public abstract Value Forward(Value x);

    /// <summary>The module's parameters and running statistics, named as in a PyTorch state_dict.</summary>
    public abstract IEnumerable<Value> Parameters();
}
