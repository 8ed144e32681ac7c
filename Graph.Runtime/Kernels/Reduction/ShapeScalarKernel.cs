using Graph.Core.Operations;

namespace Graph.Runtime.Kernels;

/// <summary>Writes <c>shape_scalar</c>: a number made from the input's concrete sizes (it reads no elements).</summary>
internal sealed class ShapeScalarKernel(KernelBinding b) : Kernel(b.Node)
{
    private readonly Tensor _y = b.Output;
    private readonly double _value = ShapeScalar.Evaluate(b.Input(0).Shape, b.Node.Attributes.GetInts("axes"), b.Node.Attributes.GetDouble("scale"), b.Node.Attributes.GetBool("invert"));

    public override void Run() => _y.Fill(_value); // rounded to the dtype as a static gradient's constant is
}
