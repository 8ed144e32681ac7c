namespace Graph.Core.Operations;

/// <summary>Elementwise natural logarithm, <c>y = ln x</c>; <c>dx = grad / x</c>.</summary>
internal sealed class Log : UnaryElementwiseOp
{
    private Log()
    {
    }

    /// <summary>The op.</summary>
    public static Log Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "log";

    /// <inheritdoc/>
    public override string GradFn => "LogBackward";


    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad / node.Input(0)];
}
