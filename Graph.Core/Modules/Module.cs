using System.Runtime.CompilerServices;

namespace Graph.Core.Modules;

/// <summary>
/// A building block of a network, as a <c>torch.nn.Module</c>: it declares its parameters in the graph when
/// it is constructed (named with its path, like <c>layer1.0.conv1.weight</c>) and builds its computation each
/// time <see cref="Forward"/> is called. Whether it trains (batch statistics, dropout) is fixed when the graph
/// is built, as a define-then-run graph fixes everything: build one graph to train and one to evaluate.
/// </summary>
public abstract class Module
{
    /// <summary>
    /// Builds the module's computation on <paramref name="x"/>. Every value it builds records the caller's line as
    /// its <see cref="Value.Source"/> (unless an enclosing module's call already set one), so an error inside a layer
    /// names the line that used the layer.
    /// </summary>
    /// <param name="x">The module's input.</param>
    /// <param name="sourceFile">The caller's file, filled in by the compiler.</param>
    /// <param name="sourceLine">The caller's line, filled in by the compiler.</param>
    public Value Forward(Value x, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        using GraphBuilder.SourceScope source = x.Builder.At(sourceFile, sourceLine);
        return Build(x);
    }

    /// <summary>The module's computation on <paramref name="x"/>, which <see cref="Forward"/> runs.</summary>
    /// <param name="x">The module's input.</param>
    protected abstract Value Build(Value x);

    /// <summary>The module's parameters and running statistics, named as in a PyTorch state_dict.</summary>
    public abstract IEnumerable<Value> Parameters();
}
