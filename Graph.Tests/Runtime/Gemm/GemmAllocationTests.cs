using Graph.Runtime.Execution;
using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>After a workspace or driver exists, a product allocates nothing, on the caller or on the workers.</summary>
[TestClass]
public sealed class GemmAllocationTests
{
    private static readonly (bool TransA, bool TransB, int M, int N, int K)[] s_shapes =
    [
        (false, false, 300, 200, 400), (true, true, 65, 33, 17), (false, true, 1, 500, 300), (true, false, 500, 1, 300),
        (false, false, 7, 5, 3), (true, false, 1, 50, 40), (false, true, 64, 10, 512),
    ];

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void Multiply_AfterWarmUp_AllocatesNothing(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        float[] af = new float[500 * 500], bf = new float[500 * 500], cf = new float[500 * 500];
        double[] ad = new double[500 * 500], bd = new double[500 * 500], cd = new double[500 * 500];

        for (int pass = 0; pass < 2; pass++)
        {
            // Pass 0 warms up (JIT, statics); pass 1 is measured.
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach ((bool transA, bool transB, int m, int n, int k) in s_shapes)
            {
                int lda = transA ? m : k, ldb = transB ? k : n;
                Graph.Runtime.Kernels.Gemm.Multiply(transA, transB, m, n, k, 1f, af, lda, bf, ldb, 0.5f, cf, n, workspace);
                Graph.Runtime.Kernels.Gemm.Multiply(transA, transB, m, n, k, 1.0, ad, lda, bd, ldb, 0.0, cd, n, workspace);
                Graph.Runtime.Kernels.Gemm.MultiplyRegion(transA, transB, m, n, k, 1.0, ad, lda, bd, ldb, 1.0, cd, n, 0, m / 2, 0, n, workspace);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (pass == 1)
            {
                Assert.AreEqual(0L, allocated, "Gemm.Multiply allocated after warm-up.");
            }
        }
    }

    [TestMethod]
    public void ParallelMultiply_AfterWarmUp_AllocatesNothingOnAnyThread()
    {
        // A pool of its own, so that no other test's sessions take its worker.
        using var pool = new WorkerPool(2);
        using var parallel = new GemmParallel(2, pool: pool);
        float[] af = new float[500 * 500], bf = new float[500 * 500], cf = new float[500 * 500];
        double[] ad = new double[500 * 500], bd = new double[500 * 500], cd = new double[500 * 500];

        for (int pass = 0; pass < 2; pass++)
        {
            long callerBefore = GC.GetAllocatedBytesForCurrentThread();
            long workersBefore = parallel.WorkerAllocatedBytes;
            for (int repeat = 0; repeat < 3; repeat++)
            {
                foreach ((bool transA, bool transB, int m, int n, int k) in s_shapes)
                {
                    int lda = transA ? m : k, ldb = transB ? k : n;
                    parallel.Multiply(transA, transB, m, n, k, 1f, af, lda, bf, ldb, 0f, cf, n);
                    parallel.Multiply(transA, transB, m, n, k, 1.0, ad, lda, bd, ldb, 1.0, cd, n);
                }
            }

            long caller = GC.GetAllocatedBytesForCurrentThread() - callerBefore;
            long workers = parallel.WorkerAllocatedBytes - workersBefore;
            if (pass == 1)
            {
                Assert.AreEqual(0L, caller, "The calling thread allocated after warm-up.");
                Assert.AreEqual(0L, workers, "A worker thread allocated after warm-up.");
            }
        }

        // The measurement is only meaningful if the workers ran at all.
        Assert.IsGreaterThan(0L, parallel.WorkerLoopsJoined);
    }
}
