using Graph.Serialization;
using MessagePack;
using static Graph.Tests.Serialization.BoundedReaders.BoundedReaderTestSupport;

namespace Graph.Tests.Serialization.BoundedReaders;

/// <summary>Seeded random and mutated inputs: decoding garbage may fail only with <see cref="GraphFormatException"/>.</summary>
[TestClass]
public sealed class BoundedReaderFuzzTests
{
    // Valid encodings to mutate: mutations of real values reach far deeper than uniform noise does.
    private static readonly byte[][] s_seeds =
    [
        Hex("82a7636f6d70616374c3a6736368656d6100"),
        Hex("9291c092c0c3"),
        Hex("81a16192c081c0c0"),
        Hex("92d40105c9000000020101ff"),
        Hex("93cc80cd0100ce00010000"),
        Hex("94d0dfd1ff7fd2ffff7fffd38000000000000000"),
        Hex("92ca3fc00000cb3ff8000000000000"),
        Hex("93a3616263d903616263c403010203"),
        Hex("dc0003a2c3a9a3e282aca4f09f9880"),
        Hex("de0001c0df00000001c0c0"),
        Hex("c80002010102d801000102030405060708090a0b0c0d0e0f"),
    ];

    [TestMethod]
    public void RandomInputs_OnlyEverThrowGraphFormatException()
    {
        var random = new Random(20_240_601);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] input = i % 3 == 0 ? RandomBytes(random) : Mutate(s_seeds[random.Next(s_seeds.Length)], random);

            // Any exception but GraphFormatException escapes and fails the test, naming the input.
            bool walked = TryReadAll(input, walk: true);
            bool skipped = TryReadAll(input, walk: false);

            // Skip checks structure only, so it accepts whatever the typed walk accepts (and perhaps bad UTF-8 too).
            Assert.IsTrue(!walked || skipped, $"Skip rejected {ToHex(input)}, which reads fine.");
            if (walked)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }

        // Both outcomes must be common, or the inputs are not exercising the reader.
        Assert.IsTrue(accepted > 200, $"only {accepted} inputs were accepted");
        Assert.IsTrue(rejected > 200, $"only {rejected} inputs were rejected");
    }

    private static bool TryReadAll(byte[] input, bool walk)
    {
        var reader = new BoundedReader(input, baseOffset: 7);
        try
        {
            while (!reader.End)
            {
                if (walk)
                {
                    ReadAny(ref reader, depth: 0);
                }
                else
                {
                    reader.Skip();
                }
            }

            return true;
        }
        catch (GraphFormatException ex)
        {
            Assert.IsTrue(ex.Offset >= 7 && ex.Offset <= 7 + input.Length, $"offset {ex.Offset} is outside {ToHex(input)}");
            return false;
        }
    }

    // Reads one value through the typed API, recursing into arrays and maps as deep as Skip allows.
    private static void ReadAny(ref BoundedReader reader, int depth)
    {
        MessagePackType type = reader.PeekType();
        if (type is MessagePackType.Array or MessagePackType.Map && depth == BoundedReader.MaxDepth)
        {
            throw new GraphFormatException(reader.AbsolutePosition, "nested too deep for this walk");
        }

        switch (type)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                break;
            case MessagePackType.Boolean:
                reader.ReadBoolean();
                break;
            case MessagePackType.Integer:
                ReadInteger(ref reader);
                break;
            case MessagePackType.Float:
                reader.ReadDouble();
                break;
            case MessagePackType.String:
                reader.ReadString();
                break;
            case MessagePackType.Binary:
                reader.ReadBinary();
                break;
            case MessagePackType.Array:
                for (int n = reader.ReadArrayHeader(); n > 0; n--)
                {
                    ReadAny(ref reader, depth + 1);
                }

                break;
            case MessagePackType.Map:
                for (int n = 2 * reader.ReadMapHeader(); n > 0; n--)
                {
                    ReadAny(ref reader, depth + 1);
                }

                break;
            default:
                reader.Skip();
                break;
        }
    }

    // Tries the narrow reads first, so their range checks run on random values too.
    private static void ReadInteger(ref BoundedReader reader)
    {
        var probe = reader;
        try
        {
            probe.ReadInt32();
            reader = probe;
            return;
        }
        catch (GraphFormatException ex) when (ex.Reason.Contains("outside the range", StringComparison.Ordinal))
        {
        }

        probe = reader;
        try
        {
            probe.ReadInt64();
            reader = probe;
            return;
        }
        catch (GraphFormatException ex) when (ex.Reason.Contains("outside the range", StringComparison.Ordinal))
        {
        }

        reader.ReadUInt64();
    }

    // Mostly bytes that start values of interesting shapes, so lengths and counts are often declared.
    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 48)];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = random.Next(4) == 0 ? (byte)random.Next(0xc0, 0xe0) : (byte)random.Next(256);
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] bytes = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                // Flip one bit.
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                // Overwrite one byte.
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                // Cut short.
                return bytes[..random.Next(bytes.Length)];
            default:
                // Several random overwrites.
                for (int i = random.Next(1, 4); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
        }
    }
}
