using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Messenger.Protocol.Contracts;

/// <summary>
/// Arrays whose elements the contracts declare non-nullable (<c>string[]</c>, <c>ChunkOwner[]</c>, ...).
/// RespectNullableAnnotations covers properties but not array elements, so <c>"users": ["a", null]</c> was read as
/// valid and handed a null to code that cannot expect one; here a null element makes the payload malformed.
/// </summary>
public sealed class NonNullArrayConverter<T> : JsonConverter<T[]>
    where T : class
{
    public override T[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of {typeof(T).Name}.");
        }
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(JsonSerializer.Deserialize(ref reader, typeInfo) ?? throw new JsonException($"A {typeof(T).Name} array element is null."));
        }
        return [.. items];
    }

    public override void Write(Utf8JsonWriter writer, T[] value, JsonSerializerOptions options)
    {
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, typeInfo);
        }
        writer.WriteEndArray();
    }
}
