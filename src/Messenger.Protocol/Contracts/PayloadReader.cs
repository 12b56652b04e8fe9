using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Messenger.Protocol.Contracts;

/// <summary>Reads a JSON payload straight from the frame's buffer slice; malformed input is a result, not an exception.</summary>
public static class PayloadReader
{
    public static bool TryRead<T>(in ReadOnlySequence<byte> payload, JsonTypeInfo<T> typeInfo, [NotNullWhen(true)] out T? value)
        where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 16 });
            value = JsonSerializer.Deserialize(ref reader, typeInfo);
            // A payload is exactly one JSON value: Deserialize stops after it, so bytes behind it (other than
            // whitespace) must be rejected here. Read() throws on them, and returns false at the clean end.
            if (value is null || reader.Read())
            {
                value = null;
                return false;
            }
            return true;
        }
        catch (JsonException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>For payloads that must be well-formed (tests, peers already authenticated): throws a ProtocolException.</summary>
    public static T Read<T>(in ReadOnlySequence<byte> payload, JsonTypeInfo<T> typeInfo)
        where T : class
        => TryRead(payload, typeInfo, out var value)
            ? value
            : throw new ProtocolException(Framing.FrameDecodeStatus.Complete, $"Malformed {typeof(T).Name} payload.");
}
