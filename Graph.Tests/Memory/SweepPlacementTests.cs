using FsCheck;
using FsCheck.Fluent;
using Graph.Core.Planning;
using Graph.Core;

namespace Graph.Tests.Memory;

/// <summary>
/// The O(n log n) placement used past the greedy planner's limit, on random storages: no two storages alive at a
/// common step share a byte, every offset is aligned, everything lies inside the arena, and the arena is never
/// larger than one buffer per storage.
/// </summary>
[TestClass]
public sealed class SweepPlacementTests
{
    [TestMethod]
    public void RandomStorages_NoTwoLiveOnesOverlap_AndAllFitTheArena()
    {
        Arbitrary<(int Seed, int Count)> cases = Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(1, 300)).ToArbitrary();
        Prop.ForAll(cases, c => CheckOne(c.Seed, c.Count)).QuickCheckThrowOnFailure();
    }

    [TestMethod]
    public void AChainOfShortLifetimes_ReusesTheSameBytes()
    {
        // Each storage dies as the next is written: two slots' worth of bytes serve the whole chain.
        StorageSlot[] chain = Enumerable.Range(0, 1000).Select(i => new StorageSlot(i, 4096, i, i + 1)).ToArray();

        (_, long arena) = SweepPlacement.Place(chain);

        Assert.AreEqual(2 * 4096L, arena);
    }

    private static void CheckOne(int seed, int count)
    {
        var random = new Random(seed);
        StorageSlot[] slots = Enumerable.Range(0, count).Select(i =>
        {
            int first = random.Next(0, 200);
            return new StorageSlot(i, random.Next(0, 4) == 0 ? 0 : random.Next(1, 5000), first, first + random.Next(0, 40));
        }).ToArray();

        (long[] offsets, long arena) = SweepPlacement.Place(slots);

        long unplanned = slots.Sum(s => (s.Bytes + AlignedBuffer.Alignment - 1) / AlignedBuffer.Alignment * AlignedBuffer.Alignment);
        Assert.IsLessThanOrEqualTo(unplanned, arena, $"seed {seed}");
        for (int i = 0; i < count; i++)
        {
            Assert.AreEqual(0, offsets[i] % AlignedBuffer.Alignment, $"seed {seed}: storage {i} is misaligned");
            Assert.IsLessThanOrEqualTo(arena, offsets[i] + slots[i].Bytes, $"seed {seed}: storage {i} is outside the arena");
            for (int j = 0; j < i; j++)
            {
                bool shareBytes = slots[i].Bytes > 0 && slots[j].Bytes > 0
                    && offsets[i] < offsets[j] + slots[j].Bytes && offsets[j] < offsets[i] + slots[i].Bytes;
                Assert.IsFalse(shareBytes && slots[i].Overlaps(slots[j]), $"seed {seed}: storages {j} and {i} are alive together and share bytes");
            }
        }
    }
}
