namespace Graph.Runtime.Kernels;

/// <summary>
/// What a convolution does to each output channel's run after its product, before anything else reads it: nothing
/// (<see cref="NoEpilogue{T}"/>), or the batch norm and ReLU folded into it (<see cref="BatchNormEpilogue{T}"/>).
/// A struct, so the forward loop is specialized per epilogue and the empty one costs nothing.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IChannelEpilogue<T>
    where T : unmanaged
{
    /// <summary>Whether there is anything to apply; when false, <see cref="Apply"/> is never called.</summary>
    bool IsEmpty { get; }

    /// <summary>Applies the epilogue in place to <paramref name="run"/>, elements of output channel <paramref name="channel"/>.</summary>
    void Apply(int channel, Span<T> run);
}

/// <summary>The plain convolution: its product is its output.</summary>
internal readonly struct NoEpilogue<T> : IChannelEpilogue<T>
    where T : unmanaged
{
    /// <inheritdoc/>
    public bool IsEmpty => true;

    /// <inheritdoc/>
    public void Apply(int channel, Span<T> run)
    {
    }
}
