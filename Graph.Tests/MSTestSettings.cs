// Test classes run in parallel; tests inside one class run one after another.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]
