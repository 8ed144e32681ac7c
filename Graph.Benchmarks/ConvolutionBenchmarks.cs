using BenchmarkDotNet.Attributes;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Benchmarks;

/// <summary>
/// One convolution of ResNet-18 on a 64×64 image, forward and both backward kernels (input and weight gradient),
/// at batch 1 and 16 on two threads. Allocated must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class ConvolutionBenchmarks
{
    private Session _session = null!;

    /// <summary>Which layer: its input [C, H, W], its output channels, kernel, stride and padding.</summary>
    [Params("stem 3x64x64 7x7/2", "layer1 64x16x16 3x3", "layer2 64x16x16 3x3/2", "layer2 down 64x16x16 1x1/2", "layer4 512x2x2 3x3")]
    public string Layer { get; set; } = string.Empty;

    /// <summary>Samples per step.</summary>
    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (int channels, int size, int outChannels, int kernel, int stride, int padding) = Layer switch
        {
            "stem 3x64x64 7x7/2" => (3, 64, 64, 7, 2, 3),
            "layer1 64x16x16 3x3" => (64, 16, 64, 3, 1, 1),
            "layer2 64x16x16 3x3/2" => (64, 16, 128, 3, 2, 1),
            "layer2 down 64x16x16 1x1/2" => (64, 16, 128, 1, 2, 0),
            "layer4 512x2x2 3x3" => (512, 2, 512, 3, 1, 1),
            _ => throw new ArgumentException($"unknown layer '{Layer}'"),
        };
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.Randn(new Shape(Batch, channels, size, size), seed: 1));
        Value w = g.Parameter("w", Tensor.Randn(new Shape(outChannels, channels, kernel, kernel), seed: 2));
        Value loss = Ops.Conv2d(x, w, null, stride, padding).Sum();
        _session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }), new SessionOptions { Threads = 2 });
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(Description = "conv2d forward and backward")]
    public void ForwardBackward()
    {
        _session.Forward();
        _session.Backward();
    }
}
