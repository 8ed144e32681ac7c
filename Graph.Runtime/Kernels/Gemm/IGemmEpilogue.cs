namespace Graph.Runtime.Kernels;

/// <summary>
/// What a matrix product does to each finished block of C before anything else reads it: nothing
/// (<see cref="NoGemmEpilogue{T}"/>), or a bias and ReLU fused into it (<see cref="BiasEpilogue{T}"/>). The GEMM calls
/// it on the thread that computed the block, once the block has summed all of k, so the block is still in that core's
/// cache: a separate pass would read it back, half of it from the other core. A struct, so each product is
/// specialized per epilogue and the empty one costs nothing.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal unsafe interface IGemmEpilogue<T>
    where T : unmanaged
{
    /// <summary>Whether there is anything to apply; when false, <see cref="Apply"/> is never called.</summary>
    bool IsEmpty { get; }

    /// <summary>
    /// Applies the epilogue in place to rows [<paramref name="row"/>, row + <paramref name="rows"/>) and columns
    /// [<paramref name="column"/>, column + <paramref name="columns"/>) of C, whose element (0, 0) is at
    /// <paramref name="c"/>.
    /// </summary>
    void Apply(int row, int rows, int column, int columns, T* c, nint ldc);
}

/// <summary>The plain product.</summary>
internal readonly unsafe struct NoGemmEpilogue<T> : IGemmEpilogue<T>
    where T : unmanaged
{
    /// <inheritdoc/>
    public bool IsEmpty => true;

    /// <inheritdoc/>
    public void Apply(int row, int rows, int column, int columns, T* c, nint ldc)
    {
    }
}
