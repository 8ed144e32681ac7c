using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Serialization;

/// <summary>
/// Reads the <c>"values"</c> array and rebuilds the graph through <see cref="GraphBuilder"/>: leaves with
/// their data, op results through <see cref="GraphBuilder.AddNode"/>, which runs the op's shape rule again,
/// so a loaded graph is one the builder could have made. Every stored type is compared with the inferred one.
/// </summary>
internal static class ValuesReader
{
    private static readonly string[] s_keys =
    [
        GraphKeys.Id, GraphKeys.Name, GraphKeys.Kind, GraphKeys.DType, GraphKeys.Shape, GraphKeys.RequiresGrad,
        GraphKeys.Op, GraphKeys.Inputs, GraphKeys.Attributes, GraphKeys.Data, GraphKeys.Source,
    ];

    private const int IdKey = 0;
    private const int NameKey = 1;
    private const int KindKey = 2;
    private const int DTypeKey = 3;
    private const int ShapeKey = 4;
    private const int RequiresGradKey = 5;
    private const int OpKey = 6;
    private const int InputsKey = 7;
    private const int AttributesKey = 8;
    private const int DataKey = 9;
    private const int SourceKey = 10;

    // A source location is a file name and a line; anything this long is not one.
    private const int MaxSourceLength = 1024;

    /// <summary>Reads every value, in id order, into a new graph.</summary>
    /// <exception cref="GraphFormatException">A value is malformed, out of order, refers to a later value, or does not fit its op.</exception>
    public static ComputeGraph Read(ref BoundedReader reader)
    {
        long offset = reader.AbsolutePosition;
        int count = reader.ReadArrayHeader();
        if (count > GraphFormat.MaxValues)
        {
            throw new GraphFormatException(offset, $"the file declares {count} values, more than the {GraphFormat.MaxValues} a graph may have");
        }

        var builder = new GraphBuilder();
        for (int id = 0; id < count; id++)
        {
            ReadValue(ref reader, builder, id);
        }

        return builder.Build();
    }

    private static void ReadValue(ref BoundedReader reader, GraphBuilder builder, int expectedId)
    {
        var fields = new MapFields(ref reader, s_keys, $"value {expectedId}");
        string name = string.Empty;
        ValueKind kind = default;
        DType dtype = default;
        Shape shape = default;
        bool requiresGrad = false;
        string opName = string.Empty;
        string? source = null;
        long opOffset = 0;
        Value[] inputs = [];
        OpAttributes attributes = OpAttributes.Empty;
        ReadOnlySpan<byte> data = default;
        long dataOffset = 0;
        int key;
        while ((key = fields.Next(ref reader)) >= 0)
        {
            long at = reader.AbsolutePosition;
            switch (key)
            {
                case IdKey:
                    int id = reader.ReadInt32();
                    if (id != expectedId)
                    {
                        throw new GraphFormatException(at, $"value {expectedId} has id {id}; ids must be dense and in order");
                    }

                    break;
                case NameKey:
                    name = reader.ReadString();
                    break;
                case KindKey:
                    string kindName = reader.ReadString();
                    kind = GraphFormat.ParseKind(kindName) ?? throw new GraphFormatException(at, $"value {expectedId} has the unknown kind '{kindName}'");
                    break;
                case DTypeKey:
                    string dtypeName = reader.ReadString();
                    dtype = GraphFormat.ParseDType(dtypeName) ?? throw new GraphFormatException(at, $"value {expectedId} has the unknown dtype '{dtypeName}'");
                    break;
                case ShapeKey:
                    shape = ReadShape(ref reader, expectedId);
                    break;
                case RequiresGradKey:
                    requiresGrad = reader.ReadBoolean();
                    break;
                case OpKey:
                    opOffset = at;
                    opName = reader.ReadString();
                    break;
                case InputsKey:
                    inputs = ReadInputs(ref reader, builder, expectedId);
                    break;
                case AttributesKey:
                    attributes = AttributeCodec.Read(ref reader);
                    break;
                case DataKey:
                    data = reader.ReadBinary();
                    dataOffset = reader.AbsolutePosition - data.Length;
                    break;
                default:
                    source = reader.ReadString();
                    if (source.Length > MaxSourceLength)
                    {
                        throw new GraphFormatException(at, $"value {expectedId}'s source location is {source.Length} characters long, more than the {MaxSourceLength} a location may have");
                    }

                    break;
            }
        }

        fields.Require(IdKey, NameKey, KindKey, DTypeKey, ShapeKey, RequiresGradKey);
        var type = new TensorType(shape, dtype);
        string what = $"value {expectedId} '{name}'";
        CheckSize(fields.MapOffset, what, shape, dtype);
        if (kind == ValueKind.Operation)
        {
            fields.Require(OpKey, InputsKey);
            if (fields.Has(DataKey))
            {
                throw new GraphFormatException(dataOffset, $"{what} is an op result but carries data");
            }

            OpDef op = OpRegistry.Find(opName) ?? throw new GraphFormatException(opOffset, $"{what} applies the unknown op '{opName}'");
            Value node = Rebuild(fields.MapOffset, what, () => builder.AddNode(op, attributes, inputs, name, requiresGrad, source));
            if (node.Type != type)
            {
                throw new GraphFormatException(fields.MapOffset, $"{what} is stored as {type}, but {op.Name} of its inputs gives {node.Type}");
            }

            return;
        }

        if (fields.Has(OpKey) || fields.Has(InputsKey) || fields.Has(AttributesKey))
        {
            throw new GraphFormatException(fields.MapOffset, $"{what} is a leaf ({GraphFormat.KindName(kind)}) but has an op, inputs or attributes");
        }

        if (requiresGrad && (!dtype.IsFloatingPoint() || kind is ValueKind.Constant or ValueKind.GradientSeed))
        {
            throw new GraphFormatException(fields.MapOffset, $"{what} is a {dtype.Name()} {GraphFormat.KindName(kind)} and cannot require a gradient");
        }

        Tensor? tensor = null;
        if (kind is ValueKind.Parameter or ValueKind.Constant)
        {
            fields.Require(DataKey);
            tensor = TensorData.Read(data, type, dataOffset, what);
        }
        else if (fields.Has(DataKey))
        {
            throw new GraphFormatException(dataOffset, $"{what} is a {GraphFormat.KindName(kind)} and carries no data");
        }

        Rebuild(fields.MapOffset, what, () => builder.AddLeaf(name, kind, type, requiresGrad, tensor, source));
    }

    private static Shape ReadShape(ref BoundedReader reader, int id)
    {
        long offset = reader.AbsolutePosition;
        int rank = reader.ReadArrayHeader();
        if (rank > GraphFormat.MaxRank)
        {
            throw new GraphFormatException(offset, $"value {id} has rank {rank}; the most is {GraphFormat.MaxRank}");
        }

        Span<int> dims = stackalloc int[rank];
        for (int i = 0; i < rank; i++)
        {
            long at = reader.AbsolutePosition;
            dims[i] = reader.ReadInt32();
            if (dims[i] < Shape.Dynamic)
            {
                throw new GraphFormatException(at, $"value {id} has the negative dimension {dims[i]}; a dimension is 0 or more, or -1 for a dynamic one (format 1.4)");
            }
        }

        if (SizeArithmetic.Product(dims) == long.MaxValue)
        {
            throw new GraphFormatException(offset, $"value {id} has dimensions whose product overflows a long");
        }

        return new Shape(dims);
    }

    // Bounds the product of the nonzero dimensions too: an empty tensor of absurd dimensions would still overflow strides.
    private static void CheckSize(long offset, string what, Shape shape, DType dtype)
    {
        long bytes = dtype.SizeInBytes();
        foreach (int d in shape.Dims)
        {
            if (d > 1 && bytes > GraphFormat.MaxTensorBytes / d)
            {
                throw new GraphFormatException(offset, $"{what} of shape {shape} would take more than the {GraphFormat.MaxTensorBytes} bytes a tensor may have");
            }

            bytes *= Math.Max(d, 1);
        }
    }

    private static Value[] ReadInputs(ref BoundedReader reader, GraphBuilder builder, int id)
    {
        // The reader bounds the count by the bytes that remain.
        var inputs = new Value[reader.ReadArrayHeader()];
        for (int i = 0; i < inputs.Length; i++)
        {
            long at = reader.AbsolutePosition;
            int input = reader.ReadInt32();
            if (input < 0 || input >= id)
            {
                throw new GraphFormatException(at, $"value {id} reads value {input}; inputs must be earlier values");
            }

            inputs[i] = builder.ValueAt(input);
        }

        return inputs;
    }

    // The builder reports a bad name, arity or shape with an exception of its own; in a file, that is a format defect.
    private static Value Rebuild(long offset, string what, Func<Value> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw new GraphFormatException(offset, $"{what}: {e.Message}", e);
        }
    }
}
