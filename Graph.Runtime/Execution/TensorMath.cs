using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Execution;

/// <summary>Whole-tensor arithmetic the session itself needs (gradient accumulation), by dtype.</summary>
internal static class TensorMath
{
    /// <summary><c>destination += source</c>, for tensors of one float dtype and shape.</summary>
    public static void AddInto(Tensor destination, Tensor source)
    {
        if (destination.DType == DType.Float32)
        {
            Span<float> d = destination.AsSpan<float>();
            TensorPrimitives.Add(d, source.AsSpan<float>(), d);
        }
        else
        {
            Span<double> d = destination.AsSpan<double>();
            TensorPrimitives.Add(d, source.AsSpan<double>(), d);
        }
    }
}
