using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Messenger.Protocol.Contracts;

namespace Messenger.Protocol.Framing;

/// <summary>
/// Writes the compact (binary) frames of a direct message (docs/PROTOCOL.md §4.2; <see cref="CompactPayloads"/>
/// reads them): the payload is written straight after the header's place in the frame, then the header is filled in,
/// so a frame costs one array (or one span of the output) and one pass over the text.
/// </summary>
public static class CompactFrames
{
    /// <summary>An <see cref="FrameType.IncomingCompact"/> frame as one array (it may be queued to many links).</summary>
    public static byte[] Incoming(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Incoming(message.DeliveryId, message.From, message.Text, message.MessageId, message.SentAtUnixMs, message.IsBroadcast, message.WasStored);
    }

    /// <summary>The same frame from its fields (the server's hot path makes no <see cref="IncomingMessage"/> for it).</summary>
    public static byte[] Incoming(long deliveryId, string from, string text, long messageId, long sentAtUnixMs, bool isBroadcast, bool wasStored)
    {
        var fromLength = NameLength(from);
        var payloadLength = CompactPayloads.IncomingFixed + fromLength + Encoding.UTF8.GetByteCount(text);
        var frame = GC.AllocateUninitializedArray<byte>(FrameHeader.Size + payloadLength);
        var payload = frame.AsSpan(FrameHeader.Size);
        BinaryPrimitives.WriteInt64BigEndian(payload, deliveryId);
        BinaryPrimitives.WriteInt64BigEndian(payload[8..], messageId);
        BinaryPrimitives.WriteInt64BigEndian(payload[16..], sentAtUnixMs);
        payload[24] = (byte)((isBroadcast ? CompactPayloads.BroadcastFlag : 0) | (wasStored ? CompactPayloads.StoredFlag : 0));
        payload[25] = (byte)fromLength;
        var textStart = CompactPayloads.IncomingFixed + Encoding.UTF8.GetBytes(from, payload[CompactPayloads.IncomingFixed..]);
        Encoding.UTF8.GetBytes(text, payload[textStart..]);
        Seal(frame, FrameType.IncomingCompact, 0);
        return frame;
    }

    /// <summary>A <see cref="FrameType.SendResultCompact"/> frame: the answer to a compact send.</summary>
    public static byte[] SendResult(uint requestId, long messageId, DeliveryOutcome outcome)
    {
        var frame = new byte[FrameHeader.Size + CompactPayloads.SendResultLength];
        BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(FrameHeader.Size), messageId);
        frame[FrameHeader.Size + 8] = (byte)outcome;
        Seal(frame, FrameType.SendResultCompact, requestId);
        return frame;
    }

    /// <summary>A <see cref="FrameType.SendMessageCompact"/> request as one array.</summary>
    public static byte[] SendMessage(uint requestId, string to, string text, long messageId)
    {
        ArgumentNullException.ThrowIfNull(text);
        var toLength = NameLength(to);
        var frame = GC.AllocateUninitializedArray<byte>(FrameHeader.Size + CompactPayloads.SendMessageFixed + toLength + Encoding.UTF8.GetByteCount(text));
        var payload = frame.AsSpan(FrameHeader.Size);
        BinaryPrimitives.WriteInt64BigEndian(payload, messageId);
        payload[8] = (byte)toLength;
        var textStart = CompactPayloads.SendMessageFixed + Encoding.UTF8.GetBytes(to, payload[CompactPayloads.SendMessageFixed..]);
        Encoding.UTF8.GetBytes(text, payload[textStart..]);
        Seal(frame, FrameType.SendMessageCompact, requestId);
        return frame;
    }

    /// <summary>An <see cref="FrameType.AckCompact"/> for one or more delivery ids, as one array.</summary>
    public static byte[] Ack(ReadOnlySpan<long> deliveryIds)
    {
        var frame = GC.AllocateUninitializedArray<byte>(AckLength(deliveryIds));
        FillAck(frame, deliveryIds);
        return frame;
    }

    /// <summary>Writes an <see cref="FrameType.AckCompact"/> into <paramref name="output"/> (the bench's pipe); returns its length.</summary>
    public static int WriteAck(IBufferWriter<byte> output, ReadOnlySpan<long> deliveryIds)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = AckLength(deliveryIds);
        FillAck(output.GetSpan(length)[..length], deliveryIds);
        output.Advance(length);
        return length;
    }

    private static int AckLength(ReadOnlySpan<long> deliveryIds) =>
        deliveryIds.IsEmpty || deliveryIds.Length > ProtocolLimits.MaxPayloadLength / sizeof(long)
            ? throw new ArgumentOutOfRangeException(nameof(deliveryIds), deliveryIds.Length, "An ack carries 1 to 131,584 delivery ids.")
            : FrameHeader.Size + deliveryIds.Length * sizeof(long);

    private static void FillAck(Span<byte> frame, ReadOnlySpan<long> deliveryIds)
    {
        for (var i = 0; i < deliveryIds.Length; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(frame[(FrameHeader.Size + i * sizeof(long))..], deliveryIds[i]);
        }
        Seal(frame, FrameType.AckCompact, 0);
    }

    /// <summary>A name's UTF-8 length, which its one-byte length field must hold (names are at most 32 characters).</summary>
    private static int NameLength(string name)
    {
        var length = Encoding.UTF8.GetByteCount(name);
        return length <= byte.MaxValue ? length : throw new ArgumentException("A user name in a compact frame is at most 255 UTF-8 bytes.", nameof(name));
    }

    /// <summary>Fills in the header of a frame whose payload is already written after it.</summary>
    private static void Seal(Span<byte> frame, FrameType type, uint requestId)
    {
        var payload = frame[FrameHeader.Size..];
        if (payload.Length > ProtocolLimits.MaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), payload.Length, $"A frame payload may hold at most {ProtocolLimits.MaxPayloadLength} bytes.");
        }
        new FrameHeader(type, requestId, payload.Length, Crc32C.Compute(payload)).WriteTo(frame);
    }
}
