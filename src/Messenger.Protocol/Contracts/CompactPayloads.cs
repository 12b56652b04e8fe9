using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Messenger.Protocol.Contracts;

/// <summary>
/// Readers for the compact (binary) forms of a direct message's four frames (docs/PROTOCOL.md §4.2): the same values
/// as <see cref="SendMessageRequest"/>, <see cref="AckMessages"/>, <see cref="SendResult"/> and
/// <see cref="IncomingMessage"/>, in fixed big-endian fields and length-prefixed UTF-8, so neither side runs a JSON
/// reader or writer per message. Every reader refuses a payload that is short, long, or carries invalid UTF-8, as
/// the JSON readers refuse malformed JSON; <see cref="CompactFrames"/> writes them.
/// </summary>
public static class CompactPayloads
{
    /// <summary>messageId (8), the recipient's name length (1).</summary>
    public const int SendMessageFixed = 9;

    /// <summary>deliveryId, messageId, sentAtUnixMs (8 each), flags (1), the sender's name length (1).</summary>
    public const int IncomingFixed = 26;

    /// <summary>messageId (8), outcome (1).</summary>
    public const int SendResultLength = 9;

    /// <summary>Bits of <see cref="IncomingMessage"/>'s flags byte; the others are zero.</summary>
    public const byte BroadcastFlag = 1, StoredFlag = 2;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryReadSendMessage(in ReadOnlySequence<byte> payload, [NotNullWhen(true)] out SendMessageRequest? value)
    {
        value = null;
        var bytes = Contiguous(payload, out var rented);
        try
        {
            if (bytes.Length < SendMessageFixed || bytes.Length < SendMessageFixed + bytes[8])
            {
                return false;
            }
            var messageId = BinaryPrimitives.ReadInt64BigEndian(bytes);
            var nameEnd = SendMessageFixed + bytes[8];
            if (!TryGetString(bytes[SendMessageFixed..nameEnd], out var to) || !TryGetString(bytes[nameEnd..], out var text))
            {
                return false;
            }
            value = new SendMessageRequest(to, text, messageId);
            return true;
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>One or more delivery ids, 8 bytes each.</summary>
    public static bool TryReadAck(in ReadOnlySequence<byte> payload, [NotNullWhen(true)] out AckMessages? value)
    {
        value = null;
        if (payload.Length == 0 || payload.Length % sizeof(long) != 0)
        {
            return false;
        }
        var ids = new long[payload.Length / sizeof(long)];
        var reader = new SequenceReader<byte>(payload);
        for (var i = 0; i < ids.Length; i++)
        {
            reader.TryReadBigEndian(out ids[i]);
        }
        value = new AckMessages(ids);
        return true;
    }

    public static bool TryReadSendResult(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out SendResult? value)
    {
        value = null;
        if (payload.Length != SendResultLength || payload[8] is not ((byte)DeliveryOutcome.Delivered or (byte)DeliveryOutcome.Stored))
        {
            return false;
        }
        value = new SendResult(BinaryPrimitives.ReadInt64BigEndian(payload), (DeliveryOutcome)payload[8]);
        return true;
    }

    public static bool TryReadIncoming(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out IncomingMessage? value)
    {
        value = null;
        if (payload.Length < IncomingFixed || payload.Length < IncomingFixed + payload[25] || (payload[24] & ~(BroadcastFlag | StoredFlag)) != 0)
        {
            return false;
        }
        var nameEnd = IncomingFixed + payload[25];
        if (!TryGetString(payload[IncomingFixed..nameEnd], out var from) || !TryGetString(payload[nameEnd..], out var text))
        {
            return false;
        }
        var flags = payload[24];
        value = new IncomingMessage(BinaryPrimitives.ReadInt64BigEndian(payload), from, text, BinaryPrimitives.ReadInt64BigEndian(payload[8..]),
            BinaryPrimitives.ReadInt64BigEndian(payload[16..]), (flags & BroadcastFlag) != 0, (flags & StoredFlag) != 0);
        return true;
    }

    /// <summary>The sender's name and the text of an incoming message without making strings (the bench's receivers).</summary>
    public static bool TrySliceIncoming(ReadOnlySpan<byte> payload, out long deliveryId, out long messageId, out ReadOnlySpan<byte> text)
    {
        deliveryId = messageId = 0;
        text = default;
        if (payload.Length < IncomingFixed || payload.Length < IncomingFixed + payload[25])
        {
            return false;
        }
        deliveryId = BinaryPrimitives.ReadInt64BigEndian(payload);
        messageId = BinaryPrimitives.ReadInt64BigEndian(payload[8..]);
        text = payload[(IncomingFixed + payload[25])..];
        return true;
    }

    private static bool TryGetString(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out string? value)
    {
        value = Utf8.IsValid(utf8) ? Strict.GetString(utf8) : null;
        return value is not null;
    }

    /// <summary>The payload as one span: as it is when it is one segment (nearly always), else copied to a rented array.</summary>
    private static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> payload, out byte[]? rented)
    {
        rented = null;
        if (payload.IsSingleSegment)
        {
            return payload.FirstSpan;
        }
        rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        payload.CopyTo(rented);
        return rented.AsSpan(0, (int)payload.Length);
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
