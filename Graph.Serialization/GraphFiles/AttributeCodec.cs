using Graph.Core;
using MessagePack;

namespace Graph.Serialization;

/// <summary>
/// Op attributes in a file: a map from name to a one-entry map that names the type, such as
/// <c>{"exponent": {"double": 3.0}}</c> or <c>{"axes": {"ints": [0, 1]}}</c>, so that an int stays an int
/// and a long a long whatever encoding MessagePack picks for the number.
/// </summary>
internal static class AttributeCodec
{
    private const string IntType = "int";
    private const string LongType = "long";
    private const string DoubleType = "double";
    private const string BoolType = "bool";
    private const string DTypeType = "dtype";
    private const string StringType = "string";
    private const string IntsType = "ints";

    /// <summary>Writes <paramref name="attributes"/> in key order.</summary>
    public static void Write(ref MessagePackWriter writer, OpAttributes attributes)
    {
        writer.WriteMapHeader(attributes.Count);
        foreach ((string key, object value) in attributes.Values)
        {
            writer.WriteString(key);
            writer.WriteMapHeader(1);
            switch (value)
            {
                case int i:
                    writer.WriteString(IntType);
                    writer.Write(i);
                    break;
                case long l:
                    writer.WriteString(LongType);
                    writer.Write(l);
                    break;
                case double d:
                    writer.WriteString(DoubleType);
                    writer.Write(d);
                    break;
                case bool b:
                    writer.WriteString(BoolType);
                    writer.Write(b);
                    break;
                case DType t:
                    writer.WriteString(DTypeType);
                    writer.WriteString(GraphFormat.DTypeName(t));
                    break;
                case string s:
                    writer.WriteString(StringType);
                    writer.WriteString(s);
                    break;
                case int[] array:
                    writer.WriteString(IntsType);
                    writer.WriteArrayHeader(array.Length);
                    foreach (int element in array)
                    {
                        writer.Write(element);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Attribute '{key}' has type {value.GetType().Name}, which OpAttributes does not allow.");
            }
        }
    }

    /// <summary>Reads an attribute map.</summary>
    /// <exception cref="GraphFormatException">The map is malformed, repeats a name, or names a type this version does not know.</exception>
    public static OpAttributes Read(ref BoundedReader reader)
    {
        int count = reader.ReadMapHeader();
        OpAttributes attributes = OpAttributes.Empty;
        for (int i = 0; i < count; i++)
        {
            long keyOffset = reader.AbsolutePosition;
            string key = reader.ReadString();
            if (attributes.Values.ContainsKey(key))
            {
                throw new GraphFormatException(keyOffset, $"the attribute '{key}' appears twice");
            }

            attributes = attributes.With(key, ReadTyped(ref reader, key));
        }

        return attributes;
    }

    private static object ReadTyped(ref BoundedReader reader, string key)
    {
        long offset = reader.AbsolutePosition;
        if (reader.ReadMapHeader() != 1)
        {
            throw new GraphFormatException(offset, $"the attribute '{key}' is not a one-entry map {{type: value}}");
        }

        long typeOffset = reader.AbsolutePosition;
        string type = reader.ReadString();
        switch (type)
        {
            case IntType:
                return reader.ReadInt32();
            case LongType:
                return reader.ReadInt64();
            case DoubleType:
                return reader.ReadDouble();
            case BoolType:
                return reader.ReadBoolean();
            case StringType:
                return reader.ReadString();
            case DTypeType:
                long dtypeOffset = reader.AbsolutePosition;
                string name = reader.ReadString();
                return GraphFormat.ParseDType(name) ?? throw new GraphFormatException(dtypeOffset, $"the attribute '{key}' names the unknown dtype '{name}'");
            case IntsType:
                // The reader has bounded the count by the bytes that remain, so the array is no larger than the file.
                var array = new int[reader.ReadArrayHeader()];
                for (int i = 0; i < array.Length; i++)
                {
                    array[i] = reader.ReadInt32();
                }

                return array;
            default:
                throw new GraphFormatException(typeOffset, $"the attribute '{key}' has the unknown type '{type}'");
        }
    }
}
