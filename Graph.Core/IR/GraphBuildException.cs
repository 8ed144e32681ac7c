namespace Graph.Core;

/// <summary>
/// An op was built with operands or attributes it cannot take. The message names the op, the node it
/// would have made, every operand with its shape and dtype, and what to change.
/// </summary>
public sealed class GraphBuildException : ArgumentException
{
    /// <summary>Creates the exception with a complete message.</summary>
    public GraphBuildException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a complete message and its cause.</summary>
    public GraphBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
