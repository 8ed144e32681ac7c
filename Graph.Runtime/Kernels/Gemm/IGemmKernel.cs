using System.Numerics;

namespace Graph.Runtime.Kernels;

/// <summary>
/// A register-blocked micro-kernel and the cache blocking that feeds it. The driver is generic over a struct
/// implementing this, so the JIT specializes it per kernel: the block sizes become constants and the call inlines.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface IGemmKernel<T>
    where T : unmanaged, INumber<T>
{
    /// <summary>Rows of C one call computes; the packed A micro-panel holds this many values per k step.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of C one call computes; the packed B micro-panel holds this many values per k step.</summary>
    static abstract int Nr { get; }

    /// <summary>Depth of one packed block: a B micro-panel (Kc × Nr) is sized to stay in L1 while A panels stream past.</summary>
    static abstract int Kc { get; }

    /// <summary>Rows of one packed A block (Mc × Kc), sized to stay in L2; a multiple of <see cref="Mr"/>.</summary>
    static abstract int Mc { get; }

    /// <summary>Columns of one packed B block (Kc × Nc), sized for L3; a multiple of <see cref="Nr"/>.</summary>
    static abstract int Nc { get; }

    /// <summary>
    /// C[0..Mr, 0..Nr] = alpha · Ã·B̃ + beta · C, where Ã is <paramref name="kc"/> steps of <see cref="Mr"/> packed values
    /// and B̃ is <paramref name="kc"/> steps of <see cref="Nr"/> packed values. Beta zero means C is not read.
    /// </summary>
    static abstract unsafe void Run(nint kc, T* a, T* b, T* c, nint ldc, T alpha, T beta);
}
