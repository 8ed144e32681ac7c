using System.Buffers.Binary;
using System.Numerics;

namespace Graph.Serialization;

/// <summary>CRC-32C (Castagnoli), as iSCSI and ext4 use it: the checksum of a <c>.graph</c> file's content.</summary>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(uint.MaxValue, data);

    /// <summary>
    /// The running state after <paramref name="data"/>, from the state <paramref name="crc"/> (start with
    /// <see cref="uint.MaxValue"/>; the checksum is the complement of the final state): for data that arrives in pieces.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {

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

        return crc;
    }
}
