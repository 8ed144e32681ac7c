using BenchmarkDotNet.Attributes;
using Graph.Compiler;
using Graph.Core;

namespace Graph.Benchmarks;

/// <summary>
/// What compiling costs: differentiation, scheduling and memory planning of the 200-op chain, the MLP, a ResNet-18
/// training step (batch 16, 64×64; 721 ops) and a wide graph of 100,001 ops (forward and backward), on which the
/// quadratic memory planner took minutes.
/// </summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private ComputeGraph _chain = null!;
    private Value _chainLoss = null!;
    private ComputeGraph _mlp = null!;
    private Value _mlpLoss = null!;
    private ComputeGraph _resNet = null!;
    private Value _resNetLoss = null!;
    private ComputeGraph _wide = null!;
    private Value _wideLoss = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_chain, _, _chainLoss) = BenchmarkModels.Chain(200, 1024);
        (_mlp, _, _, _mlpLoss) = BenchmarkModels.Mlp(64);
        (_resNet, _, _, _resNetLoss) = BenchmarkModels.ResNet18Training(16, 64);
        (_wide, _wideLoss) = BenchmarkModels.Wide(12_500);
    }

    [Benchmark]
    public CompiledGraph Chain200() => GraphCompiler.Compile(_chain, new CompileOptions { GradientRoots = [_chainLoss] });

    [Benchmark]
    public CompiledGraph Mlp() => GraphCompiler.Compile(_mlp, new CompileOptions { GradientRoots = [_mlpLoss] });

    [Benchmark]
    public CompiledGraph ResNet18Training() => GraphCompiler.Compile(_resNet, new CompileOptions { GradientRoots = [_resNetLoss] });

    [Benchmark]
    public CompiledGraph Wide100kOps() => GraphCompiler.Compile(_wide, new CompileOptions { GradientRoots = [_wideLoss] });
}
