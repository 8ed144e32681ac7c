using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// Attributes in a file must be in the one form the builder writes. Shape rules accept a negative axis and
/// normalize it, but kernels index with the stored attribute, so a file with <c>axis: -1</c> (the same axis,
/// spelled as the API accepts it) used to load and then crash Forward or Backward with an IndexOutOfRange.
/// </summary>
[TestClass]
public sealed class AttributeCanonicalFormTests
{
    private static readonly byte[][] s_files = EveryOpModel.Compile().Select(g => GraphFileWriter.ToBytes(g, session: null)).ToArray();

    [TestMethod]
    public void TheUneditedFiles_LoadAndRun()
    {
        foreach (byte[] file in s_files)
        {
            Assert.IsTrue(GraphFileSamples.TryLoadAndRun(file));
        }
    }

    [TestMethod]
    [DataRow("concat")]
    [DataRow("slice")]
    [DataRow("pad")]
    [DataRow("softmax")]
    [DataRow("log_softmax")]
    [DataRow("argmax_mask")]
    public void ANegativeAxis_IsRefused_NamingTheNodeOpAndAttribute(string op)
    {
        (byte[] file, string node) = EditFirst(op, (attributes, rank) =>
        {
            var axis = (DocMap)attributes["axis"]!;
            axis["int"] = (long)axis["int"]! - rank; // the same axis, counted from the end
        });

        AssertRefused(file, op, node, "attribute 'axis'");
    }

    [TestMethod]
    public void APermutationWithANegativeAxis_IsRefused_NamingTheNodeOpAndAttribute()
    {
        (byte[] file, string node) = EditFirst("permute", (attributes, rank) =>
        {
            var dims = (List<object?>)((DocMap)attributes["dims"]!)["ints"]!;
            dims[0] = (long)dims[0]! - rank;
        });

        AssertRefused(file, "permute", node, "attribute 'dims'");
    }

    [TestMethod]
    [DataRow("softmax", "keep_dim")]
    [DataRow("neg", "axis")]
    public void AnAttributeTheOpDoesNotTake_IsRefused(string op, string attribute)
    {
        (byte[] file, string node) = EditFirst(op, (attributes, _) => attributes[attribute] = new DocMap { new("int", 0L) });
        AssertRefused(file, op, node, $"attribute '{attribute}' is not an attribute of {op}");
    }

    private static void AssertRefused(byte[] file, string op, string node, string attribute)
    {
        GraphFormatException e = Assert.ThrowsExactly<GraphFormatException>(() =>
        {
            using Session session = GraphFile.CreateSession(GraphFileReader.Read(file));
            GraphFileSamples.Run(session); // before the check, this is where the kernels crashed
        });
        StringAssert.Contains(e.Reason, $"'{node}'");
        StringAssert.Contains(e.Reason, op);
        StringAssert.Contains(e.Reason, attribute);
    }

    // Edits the attributes of the first value computed by op (with the rank of its first operand) in the first file that has one.
    private static (byte[] File, string Node) EditFirst(string op, Action<DocMap, long> edit)
    {
        foreach (byte[] file in s_files)
        {
            List<object?> values = GraphFileDocument.Content(file).Array("values");
            int index = values.FindIndex(v => ((DocMap)v!).Any(e => Equals(e.Key, "op") && Equals(e.Value, op)));
            if (index < 0)
            {
                continue;
            }

            string node = (string)((DocMap)values[index]!)["name"]!;
            byte[] edited = GraphFileDocument.Edit(file, c =>
            {
                var value = (DocMap)c.Array("values")[index]!;
                long operand = (long)value.Array("inputs")[0]!;
                long rank = ((DocMap)c.Array("values")[(int)operand]!).Array("shape").Count;
                edit(value.Map("attributes"), rank);
            });
            return (edited, node);
        }

        throw new AssertFailedException($"no sample file computes {op}");
    }
}
