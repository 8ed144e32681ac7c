using FsCheck;
using FsCheck.Fluent;
using Graph.Serialization.MessagePack;
using static Graph.Tests.Serialization.MessagePack.MessagePackTestSupport;

namespace Graph.Tests.Serialization.MessagePack;

/// <summary>Property: whatever the writer writes, the reader reads back unchanged, and Skip agrees on where each value ends.</summary>
[TestClass]
public sealed class MessagePackRoundTripTests
{
    [TestMethod]
    public void RandomValueSequences_RoundTrip()
    {
        Property property = Prop.ForAll(MessagePackGenerators.Sequence.ToArbitrary(), RoundTrips);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    private static bool RoundTrips(MessagePackValue[] values)
    {
        byte[] bytes = Write(w =>
        {
            foreach (MessagePackValue value in values)
            {
                value.WriteTo(w);
            }
        });

        var reader = new MessagePackReader(bytes);
        foreach (MessagePackValue value in values)
        {
            if (!value.ReadAndCompare(ref reader))
            {
                return false;
            }
        }

        if (!reader.End)
        {
            return false;
        }

        reader = new MessagePackReader(bytes);
        for (int i = 0; i < values.Length; i++)
        {
            reader.Skip();
        }

        return reader.End;
    }
}
