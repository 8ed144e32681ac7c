using Microsoft.Win32.SafeHandles;

namespace Graph.Serialization;

/// <summary>A safetensors file on disk, read piece by piece so tensor data goes straight into tensors.</summary>
internal readonly struct FileHandleSource : ISafetensorsSource
{
    private readonly SafeFileHandle _handle;

    public FileHandleSource(SafeFileHandle handle, long length)
    {
        _handle = handle;
        Length = length;
    }

    public long Length { get; }

    public bool TryReadAt(long offset, scoped Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, destination, offset);
            if (read == 0)
            {
                // The file got shorter than its length said: someone is rewriting it under us.
                return false;
            }

            destination = destination[read..];
            offset += read;
        }

        return true;
    }
}
