using BenchmarkDotNet.Running;

// dotnet run -c Release --project Graph.Benchmarks -- --filter '*'        (all)
// dotnet run -c Release --project Graph.Benchmarks -- --filter '*Training*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
