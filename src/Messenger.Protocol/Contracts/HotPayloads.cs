using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Messenger.Protocol.Contracts;

/// <summary>
/// Hand-written readers for the two payloads every message carries (<see cref="SendMessageRequest"/>, and
/// <see cref="AckMessages"/> from its recipient). System.Text.Json reads records through their constructors with a
/// general converter that took 22 % of the server's samples in W1 (docs/BENCHMARKS.md); these read the same JSON with
/// one <see cref="Utf8JsonReader"/> pass and no intermediate state. They accept and refuse exactly what
/// <see cref="PayloadReader"/> does with <see cref="ProtocolJsonContext"/>'s options (camelCase names compared
/// exactly, unknown members skipped, a later duplicate wins, null or a wrong type refused, every parameter required,
/// nothing after the value); <c>HotPayloadsTests</c> holds them to it on valid, hostile and random input.
/// </summary>
public static class HotPayloads
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16 };

    public static bool TryReadSendMessage(in ReadOnlySequence<byte> payload, [NotNullWhen(true)] out SendMessageRequest? value)
    {
        value = null;
        string? to = null, text = null;
        long messageId = 0;
        var seenMessageId = false;
        try
        {
            var reader = new Utf8JsonReader(payload, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("to"u8))
                {
                    if (!ReadString(ref reader, out to))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    if (!ReadString(ref reader, out text))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("messageId"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out messageId))
                    {
                        return false;
                    }
                    seenMessageId = true;
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || to is null || text is null || !seenMessageId)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
        value = new SendMessageRequest(to, text, messageId);
        return true;
    }

    public static bool TryReadAck(in ReadOnlySequence<byte> payload, [NotNullWhen(true)] out AckMessages? value)
    {
        value = null;
        long[]? ids = null;
        try
        {
            var reader = new Utf8JsonReader(payload, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("deliveryIds"u8))
                {
                    if (!ReadLongs(ref reader, out ids))
                    {
                        return false;
                    }
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || ids is null)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
        value = new AckMessages(ids);
        return true;
    }

    private static bool ReadString(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return value is not null;
    }

    private static bool ReadLongs(ref Utf8JsonReader reader, out long[]? values)
    {
        values = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        var list = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id))
            {
                return false;
            }
            list.Add(id);
        }
        values = [.. list];
        return true;
    }

    /// <summary>An unknown member's value, whatever it is, is passed over (the serializer's default).</summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
