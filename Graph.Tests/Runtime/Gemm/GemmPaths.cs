using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>
/// The kernel paths this processor runs, as test data, and a workspace for one of them. A path the hardware lacks
/// (AVX-512 on an AVX2 machine) is not a test case here, rather than a skipped one.
/// </summary>
internal static class GemmPaths
{
    /// <summary>One row per supported path, by name: Scalar always, then Avx2 and Avx512 where the processor has them.</summary>
    public static IEnumerable<object[]> Supported =>
        Enum.GetValues<GemmKernelPath>().Where(GemmWorkspace.IsSupported).Select(path => new object[] { path.ToString() });

    /// <summary><see cref="Supported"/> without the scalar path, for code only the vector kernels have.</summary>
    public static IEnumerable<object[]> SupportedVector => Supported.Where(row => (string)row[0] != nameof(GemmKernelPath.Scalar));

    public static GemmWorkspace Workspace(string path) => new(Enum.Parse<GemmKernelPath>(path));
}
