using System.Buffers.Binary;
using System.Numerics;

namespace Graph.Serialization;

/// <summary>CRC-32C (Castagnoli), as iSCSI and ext4 use it: the checksum of a <c>.graph</c> file's content.</summary>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;

        // BitOperations.Crc32C uses the CPU's CRC instruction where there is one; eight bytes per call is its fast path.
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
