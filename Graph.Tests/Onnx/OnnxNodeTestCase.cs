using Google.Protobuf;
using Graph.Core;
using Graph.Onnx;
using Graph.Onnx.Import;
using Graph.Onnx.Reading;
using Proto = global::Onnx;

namespace Graph.Tests.Onnx;

/// <summary>How one of ONNX's backend node tests went.</summary>
internal enum NodeTestOutcome
{
    /// <summary>A node the importer does not convert: not attempted.</summary>
    Unsupported,

    /// <summary>Every output matched ONNX's expected output.</summary>
    Passed,

    /// <summary>The importer refused the model with an <see cref="OnnxFormatException"/> naming what it does not support.</summary>
    Refused,

    /// <summary>A wrong number, a wrong shape, or any other exception: a bug.</summary>
    Failed,
}

/// <summary>
/// One directory of ONNX's backend node tests (<c>model.onnx</c> and <c>test_data_set_N/{input,output}_K.pb</c>):
/// imported, run on each data set and compared with ONNX's own expected outputs at the backend tests' tolerance.
/// </summary>
internal static class OnnxNodeTestCase
{
    private const double RelativeTolerance = 1e-3;
    private const double AbsoluteTolerance = 1e-5;

    /// <summary>The op types of the test's model that the importer does not convert.</summary>
    public static string[] UnsupportedOps(string directory)
    {
        Proto.ModelProto model = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
        return model.Graph.Node.Select(n => n.OpType).Where(op => !Converters.All.ContainsKey(op)).Distinct().ToArray();
    }

    public static (NodeTestOutcome Outcome, string Detail) Run(string directory)
    {
        try
        {
            foreach (string dataSet in Directory.GetDirectories(directory, "test_data_set_*").Order(StringComparer.Ordinal))
            {
                // A builder builds once, so each data set imports the model anew.
                var builder = new GraphBuilder();
                OnnxModel imported = ImportWithIntegerInputsKnown(builder, directory, dataSet);
                Dictionary<string, Tensor> data = InputData(directory, dataSet);
                (string, Tensor)[] feeds = imported.Inputs.Select(v => (v.Name, data[v.Name])).ToArray();
                Tensor[] outputs = OnnxModels.RunImported(builder, imported, feeds);
                for (int k = 0; k < outputs.Length; k++)
                {
                    string mismatch = Compare(Read(Path.Combine(dataSet, $"output_{k}.pb")), outputs[k]);
                    if (mismatch.Length > 0)
                    {
                        return (NodeTestOutcome.Failed, $"{Path.GetFileName(dataSet)} output {k}: {mismatch}");
                    }
                }
            }

            return (NodeTestOutcome.Passed, string.Empty);
        }
        catch (OnnxFormatException e)
        {
            return (NodeTestOutcome.Refused, e.Message);
        }
        catch (Exception e)
        {
            return (NodeTestOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Graph's shapes are static, so a shape, axes or bounds must be known while importing; the node tests pass them as
    /// graph inputs. Integer inputs therefore become initializers holding the data set's values before the import.
    /// </summary>
    private static OnnxModel ImportWithIntegerInputsKnown(GraphBuilder builder, string directory, string dataSet)
    {
        Proto.ModelProto model = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
        string[] names = model.Graph.Input.Select(i => i.Name).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            Proto.ValueInfoProto input = model.Graph.Input.Single(v => v.Name == names[i]);
            if (input.Type?.TensorType?.ElemType is (int)Proto.TensorProto.Types.DataType.Int64 or (int)Proto.TensorProto.Types.DataType.Int32)
            {
                Proto.TensorProto value = Proto.TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataSet, $"input_{i}.pb")));
                value.Name = input.Name;
                model.Graph.Initializer.Add(value);
                model.Graph.Input.Remove(input);
            }
        }

        string path = Path.Combine(Path.GetTempPath(), $"graph-onnx-node-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, model.ToByteArray());
            return Graph.Onnx.Onnx.Import(builder, path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The data set's inputs by the model's input names (input_K.pb is the K-th graph input).</summary>
    private static Dictionary<string, Tensor> InputData(string directory, string dataSet)
    {
        Proto.ModelProto model = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
        var data = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < model.Graph.Input.Count; i++)
        {
            string file = Path.Combine(dataSet, $"input_{i}.pb");
            if (File.Exists(file) && !model.Graph.Initializer.Any(t => t.Name == model.Graph.Input[i].Name))
            {
                data[model.Graph.Input[i].Name] = Read(file);
            }
        }

        return data;
    }

    private static Tensor Read(string path)
    {
        var proto = Proto.TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        return TensorDecoder.Decode(proto, Path.GetFileName(path));
    }

    private static string Compare(Tensor expected, Tensor actual)
    {
        if (expected.Shape != actual.Shape)
        {
            return $"shape {actual.Shape}, expected {expected.Shape}";
        }

        double[] e = Values(expected);
        double[] a = Values(actual);
        for (int i = 0; i < e.Length; i++)
        {
            bool bothNaN = double.IsNaN(e[i]) && double.IsNaN(a[i]);
            if (!bothNaN && !(Math.Abs(e[i] - a[i]) <= AbsoluteTolerance + (RelativeTolerance * Math.Abs(e[i]))) && e[i] != a[i])
            {
                return $"element {i} is {a[i]}, expected {e[i]}";
            }
        }

        return string.Empty;
    }

    private static double[] Values(Tensor t) => t.DType == DType.Int64 ? t.ToArray<long>().Select(v => (double)v).ToArray() : t.ToDoubleArray();
}
