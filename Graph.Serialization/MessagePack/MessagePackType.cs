namespace Graph.Serialization.MessagePack;

/// <summary>The family of a MessagePack value, as told by its first byte.</summary>
public enum MessagePackType
{
    /// <summary><c>nil</c> (0xc0).</summary>
    Nil,

    /// <summary><c>false</c> or <c>true</c> (0xc2, 0xc3).</summary>
    Boolean,

    /// <summary>Any of the fixint, uint and int formats.</summary>
    Integer,

    /// <summary><c>float32</c> or <c>float64</c>.</summary>
    Float,

    /// <summary>fixstr, str8, str16 or str32: UTF-8 text.</summary>
    String,

    /// <summary>bin8, bin16 or bin32: raw bytes.</summary>
    Binary,

    /// <summary>fixarray, array16 or array32.</summary>
    Array,

    /// <summary>fixmap, map16 or map32.</summary>
    Map,

    /// <summary>fixext1/2/4/8/16 or ext8/16/32: application-defined typed bytes.</summary>
    Extension,
}
