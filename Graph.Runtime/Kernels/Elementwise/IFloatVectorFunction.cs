using System.Runtime.Intrinsics;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The float32 form of an <see cref="IScalarFunction"/>, eight lanes at a time, for the functions whose scalar form
/// (evaluated in double) would cost hundreds of cycles an element: erf's series, GELU. One formula for every lane and
/// every element (a run's tail goes through the same vector), so results do not depend on where an element falls.
/// </summary>
internal interface IFloatVectorFunction
{
    /// <summary>The function at each lane of <paramref name="x"/> with parameters <paramref name="p"/> and <paramref name="q"/>.</summary>
    static abstract Vector256<float> Apply(Vector256<float> x, float p, float q);
}
