using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.NeuralNetwork;

/// <summary>Runs small graphs forward for the layer tests.</summary>
internal static class Run
{
    /// <summary>The value of <paramref name="output"/> after one forward pass of <paramref name="builder"/>'s graph, copied out.</summary>
    public static double[] Forward(GraphBuilder builder, Value output)
    {
        using var session = new Session(GraphCompiler.Compile(builder.Build(), new CompileOptions { Outputs = [output] }));
        session.Forward();
        return session.Output(output).ToDoubleArray();
    }

    /// <summary>A float64 tensor of <paramref name="shape"/> holding 0, 1, 2, … in row-major order.</summary>
    public static Tensor Counting(Shape shape)
    {
        Tensor t = Tensor.Zeros(shape, DType.Float64);
        Span<double> values = t.AsSpan<double>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i;
        }

        return t;
    }
}
