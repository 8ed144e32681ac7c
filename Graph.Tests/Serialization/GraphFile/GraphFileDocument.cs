using System.Buffers;
using Graph.Serialization;
using MessagePack;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>A map of a decoded file, keys in file order (repeats kept), for tests that edit files.</summary>
internal sealed class DocMap : List<KeyValuePair<object?, object?>>
{
    public object? this[string key]
    {
        get => this.First(e => Equals(e.Key, key)).Value;
        set
        {
            int index = FindIndex(e => Equals(e.Key, key));
            if (index < 0)
            {
                Add(new(key, value));
            }
            else
            {
                this[index] = new(key, value);
            }
        }
    }

    public DocMap Map(string key) => (DocMap)this[key]!;

    public List<object?> Array(string key) => (List<object?>)this[key]!;

    public void Remove(string key) => RemoveAll(e => Equals(e.Key, key));
}

/// <summary>
/// Decodes a .graph file into plain trees (maps, lists, longs, doubles, strings, byte arrays) and encodes it
/// back with a fresh checksum, so a test can damage one field while the envelope stays valid and the
/// structural checks, not the checksum, must catch it.
/// </summary>
internal static class GraphFileDocument
{
    /// <summary>The file's body, decoded.</summary>
    public static DocMap Content(byte[] file)
    {
        (_, int start, int length) = GraphEnvelope.Read(file);
        var reader = new BoundedReader(file.AsMemory(start, length));
        return (DocMap)Decode(ref reader)!;
    }

    /// <summary>The file with its body changed by <paramref name="edit"/> and its checksum recomputed.</summary>
    public static byte[] Edit(byte[] file, Action<DocMap> edit)
    {
        DocMap content = Content(file);
        edit(content);
        return Envelope(Encode(content));
    }

    /// <summary>The file's envelope around <paramref name="content"/>, with its checksum.</summary>
    public static byte[] Envelope(ReadOnlySpan<byte> content)
    {
        var output = new ArrayBufferWriter<byte>();
        GraphEnvelope.Write(output, content);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The file's content bytes.</summary>
    public static byte[] ContentBytes(byte[] file)
    {
        (_, int start, int length) = GraphEnvelope.Read(file);
        return file.AsSpan(start, length).ToArray();
    }

    /// <summary>Decodes one value.</summary>
    public static object? Decode(ref BoundedReader reader)
    {
        switch (reader.PeekType())
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                return reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBinary().ToArray();
            case MessagePackType.Array:
                int count = reader.ReadArrayHeader();
                var list = new List<object?>(count);
                for (int i = 0; i < count; i++)
                {
                    list.Add(Decode(ref reader));
                }

                return list;
            case MessagePackType.Map:
                int entries = reader.ReadMapHeader();
                var map = new DocMap();
                for (int i = 0; i < entries; i++)
                {
                    object? key = Decode(ref reader);
                    map.Add(new(key, Decode(ref reader)));
                }

                return map;
            default:
                throw new NotSupportedException("Graph files hold no ext values.");
        }
    }

    /// <summary>Encodes one value tree.</summary>
    public static byte[] Encode(object? value)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        Write(ref writer, value);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case bool b:
                writer.Write(b);
                break;
            case int i:
                writer.Write(i);
                break;
            case long l:
                writer.Write(l);
                break;
            case double d:
                writer.Write(d);
                break;
            case string s:
                writer.WriteString(s);
                break;
            case byte[] bytes:
                writer.WriteBinary(bytes);
                break;
            case DocMap map:
                writer.WriteMapHeader(map.Count);
                foreach ((object? key, object? item) in map)
                {
                    Write(ref writer, key);
                    Write(ref writer, item);
                }

                break;
            case List<object?> list:
                writer.WriteArrayHeader(list.Count);
                foreach (object? item in list)
                {
                    Write(ref writer, item);
                }

                break;
            default:
                throw new NotSupportedException($"Cannot encode {value.GetType().Name}.");
        }
    }
}
