using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// Truncated, flipped and randomly mutated files: loading either succeeds or throws GraphFormatException, never
/// another exception, a hang or a large allocation, and a file that loads runs Forward and Backward. Mutations of
/// the content are re-wrapped with a valid checksum, so that they reach the structural checks instead of stopping
/// at the checksum; the samples together hold every op (<see cref="EveryOpModel"/>).
/// </summary>
[TestClass]
public sealed class GraphFileHostileInputTests
{
    private const long MaxAllocatedBytesPerFile = 64L << 20;

    [TestMethod]
    public void EveryTruncation_IsRejected()
    {
        byte[] file = GraphFileSamples.QSession();
        for (int length = 0; length < file.Length; length++)
        {
            Assert.IsFalse(GraphFileSamples.TryLoad(file[..length]), $"the file cut to {length} of {file.Length} bytes loaded");
        }

        Assert.IsTrue(GraphFileSamples.TryLoad(file));
    }

    [TestMethod]
    public void EverySingleByteFlip_IsRejectedOrHarmless_AndEveryContentFlipFailsTheChecksum()
    {
        byte[] file = GraphFileSamples.QSession();
        (_, int contentStart, int contentLength) = GraphEnvelope.Read(file);
        int accepted = 0;
        foreach (byte mask in new byte[] { 0x01, 0x02, 0x10, 0x80, 0xff })
        {
            for (int i = 0; i < file.Length; i++)
            {
                byte[] flipped = (byte[])file.Clone();
                flipped[i] ^= mask;
                bool inContent = i >= contentStart && i < contentStart + contentLength;
                try
                {
                    GraphFileReader.Read(flipped);
                    Assert.IsFalse(inContent, $"byte {i} of the content ^ 0x{mask:x2} passed the checksum");
                    accepted++;
                }
                catch (GraphFormatException e) when (inContent)
                {
                    StringAssert.Contains(e.Reason, "CRC-32C", $"byte {i} ^ 0x{mask:x2}");
                }
                catch (GraphFormatException)
                {
                    // A damaged envelope: rejected, as it should be.
                }

                GraphFileSamples.TryLoad(flipped);
            }
        }

        // Some envelope bytes do not matter (the minor version), which is what minor versions are for.
        Assert.IsTrue(accepted > 0, "no flip was harmless");
    }

    [TestMethod]
    public void RandomMutations_WithValidChecksums_OnlyEverThrowGraphFormatException() => Fuzz(5_000, seed: 20_250_401);

    [TestMethod]
    [TestCategory("Long")]
    public void RandomMutations_LongRun() => Fuzz(100_000, seed: 20_250_402);

    private static void Fuzz(int files, int seed)
    {
        byte[][] samples =
        [
            GraphFileSamples.QSession(),
            GraphFileWriter.ToBytes(GraphFileModels.Mlp(), session: null),
            .. EveryOpModel.Compile().Select(g => GraphFileWriter.ToBytes(g, session: null)),
        ];
        byte[][] contents = samples.Select(GraphFileDocument.ContentBytes).ToArray();
        DocMap[] trees = samples.Select(GraphFileDocument.Content).ToArray();
        var random = new Random(seed);
        int accepted = 0;
        int refusedData = 0;
        int rejected = 0;
        long mostAllocated = 0;
        for (int i = 0; i < files; i++)
        {
            // A third of the files are changed byte by byte, a third field by field anywhere (still well-formed, so
            // deeper checks see them), and a third field by field inside one op's node: its op, inputs, shape and
            // attributes, which would otherwise be a small share of the places a mutation lands.
            int sample = random.Next(samples.Length);
            byte[] content = random.Next(3) switch
            {
                0 => ContentMutator.Mutate(contents[sample], random),
                1 => GraphFileDocument.Encode(TreeMutator.Mutate(trees[sample], random)),
                _ => GraphFileDocument.Encode(TreeMutator.MutateOneNode(trees[sample], random)),
            };

            // Most files keep a valid checksum, to reach the structural checks; a few damage the envelope itself.
            byte[] file = random.Next(10) == 0
                ? ContentMutator.Mutate(GraphFileDocument.Envelope(content), random)
                : GraphFileDocument.Envelope(content);
            long before = GC.GetAllocatedBytesForCurrentThread();
            LoadOutcome outcome = GraphFileSamples.LoadAndRun(file);
            mostAllocated = Math.Max(mostAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.IsTrue(mostAllocated < MaxAllocatedBytesPerFile, $"file {i} of seed {seed} allocated {mostAllocated} bytes");
            switch (outcome)
            {
                case LoadOutcome.Ran:
                    accepted++;
                    break;
                case LoadOutcome.RefusedData:
                    refusedData++;
                    break;
                default:
                    rejected++;
                    break;
            }
        }

        Console.WriteLine($"seed {seed}: {files} mutated files; {accepted} loaded and ran Forward and Backward, {refusedData} loaded and stopped at a kernel's data check naming its node, {rejected} rejected with GraphFormatException");

        // Both outcomes must be common, or the mutations are not exercising the loader.
        Assert.IsTrue(accepted > files / 50, $"only {accepted} of {files} mutated files loaded");
        Assert.IsTrue(rejected > files / 2, $"only {rejected} of {files} mutated files were rejected");
    }
}
