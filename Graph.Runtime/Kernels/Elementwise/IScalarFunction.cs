namespace Graph.Runtime.Kernels;

/// <summary>
/// An elementwise function with up to two constant parameters (the node's attributes), evaluated in double: for the
/// functions TensorPrimitives has no vector form of (erf, GELU, softplus) and the piecewise ones.
/// </summary>
internal interface IScalarFunction
{
    /// <summary>The function at <paramref name="x"/> with parameters <paramref name="p"/> and <paramref name="q"/>.</summary>
    static abstract double Apply(double x, double p, double q);
}
