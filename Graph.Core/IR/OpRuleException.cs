namespace Graph.Core;

/// <summary>
/// Thrown by an op's shape rule or attribute reader. It carries only the reason; the builder (or a file
/// loader) adds the node, the operands and their shapes before a user sees it.
/// </summary>
internal sealed class OpRuleException(string reason) : Exception(reason)
{
}
