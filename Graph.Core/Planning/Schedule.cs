
namespace Graph.Core.Planning;

/// <summary>The tapes in execution order, and the values the session reads after a step.</summary>
/// <param name="Forward">The forward tape.</param>
/// <param name="Backward">One backward plan per gradient root.</param>
/// <param name="Outputs">Values readable with <c>Session.Output</c>: the requested outputs, then the roots.</param>
/// <param name="ReadAfterStep">Values that must survive to the end of the timeline: outputs, roots, retained values, and forward values a backward tape reads (so that Backward can run twice after one Forward).</param>
internal sealed record Schedule(Tape Forward, IReadOnlyList<BackwardPlan> Backward, IReadOnlyList<Value> Outputs, IReadOnlySet<Value> ReadAfterStep);
