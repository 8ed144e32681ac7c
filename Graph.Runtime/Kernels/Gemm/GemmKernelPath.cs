namespace Graph.Runtime.Kernels;

/// <summary>Which micro-kernel a <see cref="GemmWorkspace"/> drives; tests pick one to cover every path on one machine.</summary>
internal enum GemmKernelPath
{
    /// <summary>Portable scalar code; runs everywhere .NET runs.</summary>
    Scalar,

    /// <summary>256-bit vectors with fused multiply-add (x64 AVX2 + FMA3).</summary>
    Avx2,

    /// <summary>512-bit vectors with fused multiply-add (x64 AVX-512F).</summary>
    Avx512,
}
