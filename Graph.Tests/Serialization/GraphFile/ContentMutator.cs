namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>Seeded byte-level mutations of MessagePack: bit flips, boundary values, and bytes inserted, removed, repeated or cut off.</summary>
internal static class ContentMutator
{
    // Type bytes and lengths near MessagePack's boundaries reach the length and type checks more often than noise.
    private static readonly byte[] s_interesting = [0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd2, 0xd3, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff];

    /// <summary>A copy of <paramref name="input"/> with one to four mutations.</summary>
    public static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = s_interesting[random.Next(s_interesting.Length)];
                    break;
                case 2:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 3:
                    bytes.Insert(at, s_interesting[random.Next(s_interesting.Length)]);
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(1 + random.Next(8), bytes.Count - at));
                    break;
                case 5:
                    int length = Math.Min(1 + random.Next(32), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return bytes.ToArray();
    }
}
