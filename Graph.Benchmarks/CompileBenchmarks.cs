using BenchmarkDotNet.Attributes;
using Graph.Compiler;
using Graph.Core;

namespace Graph.Benchmarks;

/// <summary>What compiling costs: differentiation, scheduling and memory planning of the 200-op chain and the MLP.</summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private ComputeGraph _chain = null!;
    private Value _chainLoss = null!;
    private ComputeGraph _mlp = null!;
    private Value _mlpLoss = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_chain, _, _chainLoss) = BenchmarkModels.Chain(200, 1024);
        (_mlp, _, _, _mlpLoss) = BenchmarkModels.Mlp(64);
    }

    [Benchmark]
    public CompiledGraph Chain200() => GraphCompiler.Compile(_chain, new CompileOptions { GradientRoots = [_chainLoss] });

    [Benchmark]
    public CompiledGraph Mlp() => GraphCompiler.Compile(_mlp, new CompileOptions { GradientRoots = [_mlpLoss] });
}
