using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messenger.Protocol.Contracts;

/// <summary>
/// Enums travel as their exact names (docs/PROTOCOL.md §4). The stock string-enum converter also accepts numbers,
/// other casings and comma-joined names, which let undefined values such as <c>"kind": 99</c> through the reader;
/// here anything but a defined name is malformed. Names are matched on the UTF-8 bytes, so reading allocates nothing.
/// </summary>
public sealed class StrictEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    private static readonly JsonEncodedText[] Names = Array.ConvertAll(Values, v => JsonEncodedText.Encode(v.ToString()));

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            for (var i = 0; i < Names.Length; i++)
            {
                if (reader.ValueTextEquals(Names[i].EncodedUtf8Bytes))
                {
                    return Values[i];
                }
            }
        }
        throw new JsonException($"Expected one of the {typeof(TEnum).Name} names.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        var index = Array.IndexOf(Values, value);
        if (index < 0)
        {
            throw new JsonException($"{value} is not a defined {typeof(TEnum).Name}.");
        }
        writer.WriteStringValue(Names[index]);
    }
}
