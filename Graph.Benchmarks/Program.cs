using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Graph.Benchmarks.SideBySide;

// dotnet run -c Release --project Graph.Benchmarks -- --filter '*'        (all)
// dotnet run -c Release --project Graph.Benchmarks -- --filter '*Training*'
// dotnet run -c Release --project Graph.Benchmarks -- sidebyside all --threads 1,2   (against PyTorch and TorchSharp: tools/bench/side_by_side.sh)
// dotnet run -c Release --project Graph.Benchmarks -- gemm [name filter]              (quick GFLOP/s table)
if (args is ["sidebyside", .. var rest])
{
    return SideBySideRunner.Run(rest);
}

if (args is ["gemm", .. var gemmArgs])
{
    return Graph.Benchmarks.GemmBenchmarks.Quick(gemmArgs);
}

// BenchmarkDotNet builds a project of its own on one core; its default two-minute limit fails on a busy machine.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
return 0;
