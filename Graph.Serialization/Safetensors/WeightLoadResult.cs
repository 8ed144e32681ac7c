namespace Graph.Serialization;

/// <summary>
/// What <see cref="SessionWeights.Load(Graph.Runtime.Session, string, bool, string)"/> did, as PyTorch's
/// <c>load_state_dict</c> reports it; names are without the prefix. In strict loading
/// <see cref="Missing"/> and <see cref="Unexpected"/> are always empty (a name in them throws instead).
/// </summary>
/// <param name="Loaded">The parameters whose values were copied in.</param>
/// <param name="Missing">The session's parameters the weights had no tensor for; they keep their values.</param>
/// <param name="Unexpected">The tensors that name no parameter of the session; they were skipped.</param>
/// <param name="Ignored">PyTorch-only buffers skipped by design (<see cref="SessionWeights.PyTorchOnlyBuffers"/>).</param>
public sealed record WeightLoadResult(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Ignored);
