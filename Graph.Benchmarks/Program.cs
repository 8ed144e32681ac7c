using BenchmarkDotNet.Running;
using Graph.Benchmarks.SideBySide;

// dotnet run -c Release --project Graph.Benchmarks -- --filter '*'        (all)
// dotnet run -c Release --project Graph.Benchmarks -- --filter '*Training*'
// dotnet run -c Release --project Graph.Benchmarks -- sidebyside all --threads 1,2   (against bench_torch.py: tools/bench/side_by_side.sh)
if (args is ["sidebyside", .. var rest])
{
    return SideBySideRunner.Run(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
