using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>
/// One GEMM test case: random operands (exactly representable in float, so one case checks both precisions), a
/// naive double-precision reference, and a per-element error bound of the usual k·eps·(|alpha|·Σ|a||b| + |beta·c|)
/// form. C's padding columns (between n and ldc) hold a sentinel that must survive untouched.
/// </summary>
internal sealed class GemmProblem
{
    private const double Sentinel = 777.0;

    public GemmProblem(
        bool transA, bool transB, int m, int n, int k, double alpha = 1.0, double beta = 0.0,
        int padA = 0, int padB = 0, int padC = 0, bool nanC = false, int seed = 1)
    {
        (TransA, TransB, M, N, K, Alpha, Beta) = (transA, transB, m, n, k, alpha, beta);
        var random = new Random(seed);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        Lda = Math.Max(1, aCols) + padA;
        Ldb = Math.Max(1, bCols) + padB;
        Ldc = Math.Max(1, n) + padC;
        A = Fill(random, aRows, aCols, Lda, double.NaN);
        B = Fill(random, bRows, bCols, Ldb, double.NaN);
        C0 = Fill(random, m, n, Ldc, Sentinel);
        if (nanC)
        {
            for (int i = 0; i < m; i++)
            {
                Array.Fill(C0, double.NaN, i * Ldc, n);
            }
        }

        (Expected, Bound) = Reference();
    }

    public bool TransA { get; }

    public bool TransB { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public double Alpha { get; }

    public double Beta { get; }

    public int Lda { get; }

    public int Ldb { get; }

    public int Ldc { get; }

    /// <summary>A as stored (k × m when transposed); padding holds NaN, which must never be read.</summary>
    public double[] A { get; }

    /// <summary>B as stored (n × k when transposed); padding holds NaN, which must never be read.</summary>
    public double[] B { get; }

    /// <summary>C before the call; padding holds a sentinel.</summary>
    public double[] C0 { get; }

    public double[] Expected { get; }

    public double[] Bound { get; }

    public float[] AFloat => Array.ConvertAll(A, x => (float)x);

    public float[] BFloat => Array.ConvertAll(B, x => (float)x);

    public float[] CFloat() => Array.ConvertAll(C0, x => (float)x);

    public double[] CDouble() => (double[])C0.Clone();

    public override string ToString() =>
        $"transA={TransA} transB={TransB} m={M} n={N} k={K} alpha={Alpha} beta={Beta} lda={Lda} ldb={Ldb} ldc={Ldc}";

    /// <summary>Runs this case through <see cref="Graph.Runtime.Kernels.Gemm"/> in both precisions and checks both.</summary>
    public void RunBoth(GemmWorkspace workspace)
    {
        float[] cf = CFloat();
        Graph.Runtime.Kernels.Gemm.Multiply(TransA, TransB, M, N, K, (float)Alpha, AFloat, Lda, BFloat, Ldb, (float)Beta, cf, Ldc, workspace);
        Check(cf);
        double[] cd = CDouble();
        Graph.Runtime.Kernels.Gemm.Multiply(TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, cd, Ldc, workspace);
        Check(cd);
    }

    public void Check(float[] actual) => Check(Array.ConvertAll(actual, x => (double)x), Math.Pow(2, -23), "float");

    public void Check(double[] actual) => Check(actual, Math.Pow(2, -52), "double");

    /// <summary>Checks only rows [r0, r1) × columns [c0, c1) against the reference and everything else against C0.</summary>
    public void CheckRegion(double[] actual, int r0, int r1, int c0, int c1)
    {
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < Ldc && (i * Ldc) + j < actual.Length; j++)
            {
                int at = (i * Ldc) + j;
                bool inside = i >= r0 && i < r1 && j >= c0 && j < c1;
                if (inside)
                {
                    AssertClose(actual[at], at, Math.Pow(2, -52), "double region", i, j);
                }
                else
                {
                    Assert.AreEqual(C0[at].ToString("R"), actual[at].ToString("R"), $"{this}: C[{i},{j}] outside the region changed");
                }
            }
        }
    }

    private void Check(double[] actual, double eps, string precision)
    {
        Assert.HasCount(C0.Length, actual);
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < Ldc && (i * Ldc) + j < actual.Length; j++)
            {
                int at = (i * Ldc) + j;
                if (j < N)
                {
                    AssertClose(actual[at], at, eps, precision, i, j);
                }
                else if (actual[at] != Sentinel)
                {
                    Assert.Fail($"{precision} {this}: padding C[{i},{j}] changed to {actual[at]}");
                }
            }
        }
    }

    private void AssertClose(double actual, int at, double eps, string precision, int i, int j)
    {
        double tolerance = (2.0 * (K + 2) * eps * Bound[at]) + 1e-300;
        if (!(Math.Abs(actual - Expected[at]) <= tolerance))
        {
            Assert.Fail($"{precision} {this}: C[{i},{j}] = {actual}, expected {Expected[at]} ± {tolerance}");
        }
    }

    private (double[] Expected, double[] Bound) Reference()
    {
        double[] expected = (double[])C0.Clone();
        double[] bound = new double[C0.Length];
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double sum = 0, magnitude = 0;
                if (Alpha != 0)
                {
                    for (int p = 0; p < K; p++)
                    {
                        double a = TransA ? A[(p * Lda) + i] : A[(i * Lda) + p];
                        double b = TransB ? B[(j * Ldb) + p] : B[(p * Ldb) + j];
                        sum += a * b;
                        magnitude += Math.Abs(a * b);
                    }
                }

                int at = (i * Ldc) + j;
                double c = Beta == 0 ? 0 : Beta * C0[at];
                expected[at] = (Alpha * sum) + c;
                bound[at] = (Math.Abs(Alpha) * magnitude) + Math.Abs(c);
            }
        }

        return (expected, bound);
    }

    /// <summary>A rows × cols matrix with row stride ld in its minimal span; values in [-1, 1] that float represents exactly.</summary>
    private static double[] Fill(Random random, int rows, int cols, int ld, double padding)
    {
        int length = rows == 0 || cols == 0 ? 0 : ((rows - 1) * ld) + cols;
        double[] data = new double[length];
        Array.Fill(data, padding);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                data[(i * ld) + j] = (float)((random.NextDouble() * 2) - 1);
            }
        }

        return data;
    }
}
