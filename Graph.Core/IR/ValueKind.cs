namespace Graph.Core;

/// <summary>Where a value's data comes from.</summary>
public enum ValueKind
{
    /// <summary>Fed by <c>Session.SetInput</c> before each forward pass.</summary>
    Input,

    /// <summary>Persistent state owned by the session: weights, biases, running statistics.</summary>
    Parameter,

    /// <summary>Fixed data baked into the graph.</summary>
    Constant,

    /// <summary>Computed by an op from other values.</summary>
    Operation,

    /// <summary>The incoming gradient of a gradient root: the vector of a vector-Jacobian product, fed by <c>Session.Backward</c>.</summary>
    GradientSeed,
}
