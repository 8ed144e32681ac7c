using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The packing buffers one thread's GEMM calls need, allocated once and sized for the block sizes of one kernel
/// path, for both <see cref="float"/> and <see cref="double"/>. Holding them here is what lets
/// <see cref="Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int, GemmWorkspace)"/>
/// allocate nothing. A workspace is not thread-safe: give each concurrent caller its own.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    // One pinned block holds all three regions; each starts on a 64-byte boundary so packed panels are
    // cache-line aligned and every vector load the kernel makes from them is aligned.
    private readonly AlignedBuffer _buffer;

    /// <summary>A workspace for the fastest kernel path this machine supports.</summary>
    public GemmWorkspace()
        : this(BestPath)
    {
    }

    /// <summary>A workspace for one kernel path; tests use this to exercise paths the hardware would not pick.</summary>
    /// <exception cref="PlatformNotSupportedException">The hardware lacks the instructions <paramref name="path"/> needs.</exception>
    public GemmWorkspace(GemmKernelPath path)
    {
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"The {path} GEMM kernel needs instructions this processor does not have.");
        }

        Path = path;
        (int packA, int packB, int tile) = path switch
        {
            GemmKernelPath.Avx512 => Max(Sizes<float, Avx512Kernel<float>>(), Sizes<double, Avx512Kernel<double>>()),
            GemmKernelPath.Avx2 => Max(Sizes<float, Avx2Kernel<float>>(), Sizes<double, Avx2Kernel<double>>()),
            _ => Max(Sizes<float, ScalarKernel<float>>(), Sizes<double, ScalarKernel<double>>()),
        };

        _buffer = new AlignedBuffer((long)packA + packB + tile);

        // The buffer lives on the pinned object heap and never moves, so the address taken once stays valid
        // for as long as this object (which holds the buffer) is alive.
        byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(_buffer.Span));
        PackA = start;
        PackB = start + packA;
        PackBBytes = packB;
        Tile = start + packA + packB;
    }

    /// <summary>The fastest kernel path this machine supports.</summary>
    public static GemmKernelPath BestPath =>
        IsSupported(GemmKernelPath.Avx512) ? GemmKernelPath.Avx512
        : IsSupported(GemmKernelPath.Avx2) ? GemmKernelPath.Avx2
        : GemmKernelPath.Scalar;

    /// <summary>The kernel path this workspace drives.</summary>
    public GemmKernelPath Path { get; }

    /// <summary>The packed op(A) block, 64-byte aligned.</summary>
    internal byte* PackA { get; }

    /// <summary>The packed op(B) block, 64-byte aligned.</summary>
    internal byte* PackB { get; }

    /// <summary>The size of <see cref="PackB"/> in bytes.</summary>
    internal int PackBBytes { get; }

    /// <summary>One micro-tile of C, where partial tiles at the edges are computed before merging.</summary>
    internal byte* Tile { get; }

    /// <summary>Whether this processor can run <paramref name="path"/>.</summary>
    public static bool IsSupported(GemmKernelPath path) => path switch
    {
        GemmKernelPath.Avx512 => Avx512F.IsSupported,
        GemmKernelPath.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        GemmKernelPath.Scalar => true,
        _ => false,
    };

    private static (int PackA, int PackB, int Tile) Sizes<T, TKernel>()
        where T : unmanaged, INumber<T>
        where TKernel : struct, IGemmKernel<T>
    {
        return (
            AlignUp(GemmDriver<T, TKernel>.PackALength * sizeof(T)),
            AlignUp(GemmDriver<T, TKernel>.PackBLength * sizeof(T)),
            AlignUp(GemmDriver<T, TKernel>.TileLength * sizeof(T)));
    }

    private static (int PackA, int PackB, int Tile) Max((int PackA, int PackB, int Tile) x, (int PackA, int PackB, int Tile) y) =>
        (Math.Max(x.PackA, y.PackA), Math.Max(x.PackB, y.PackB), Math.Max(x.Tile, y.Tile));

    private static int AlignUp(int bytes) => (bytes + AlignedBuffer.Alignment - 1) & ~(AlignedBuffer.Alignment - 1);
}
