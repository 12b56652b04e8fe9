using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Text.Json;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Bench;

/// <summary>
/// The read side of a simulated user: decodes frames, reads each delivered message's ids and text by hand, tells the
/// receiver and the ledger (which checks every (sender, message id) pair for repeats), and acknowledges once per read.
/// </summary>
public sealed partial class BenchConnection
{
    private static readonly byte[] MessageIdName = "messageId"u8.ToArray();

    /// <summary>Where every received (sender, message id) pair is checked for repeats and, at the end, for gaps; optional.</summary>
    public DeliveryLedger? Ledger { get; set; }

    /// <summary>The server's answer to the last refused login (for the run's log).</summary>
    public string? LoginRefusal { get; private set; }

    /// <summary>
    /// Handles every whole frame of one read on <paramref name="sender"/>'s link, acknowledging what it delivered in one
    /// Ack (and one RoomAck); the link's login answer settles <paramref name="loggedIn"/>. Returns how far the frames went.
    /// </summary>
    private SequencePosition OnReceived(ReadOnlySequence<byte> buffer, bool completed, BatchedSender sender, TaskCompletionSource<bool> loggedIn)
    {
        var pending = 0;
        var roomPosition = 0L;
        var now = Stopwatch.GetTimestamp();
        while (FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, completed, out var frame) == FrameDecodeStatus.Complete)
        {
            switch (frame.Type)
            {
                case FrameType.IncomingMessage or FrameType.IncomingCompact:
                    if (pending == acks.Length)
                    {
                        Acknowledge(acks.AsSpan(0, pending), sender);
                        pending = 0;
                    }
                    acks[pending++] = frame.Type == FrameType.IncomingCompact ? OnIncomingCompact(frame.Payload, now) : OnIncoming(frame.Payload, now);
                    break;
                case FrameType.SendResultCompact:
                    Interlocked.Increment(ref answered);
                    if (unanswered is not null && CompactPayloads.TryReadSendResult(frame.Payload.ToArray(), out var result))
                    {
                        OnAnswer(result);
                    }
                    break;
                case FrameType.SendResult:
                    Interlocked.Increment(ref answered);
                    if (unanswered is not null)
                    {
                        OnAnswer(frame.Payload);
                    }
                    break;
                case FrameType.Response when frame.RequestId == SendRequestId:
                    Interlocked.Increment(ref refused);
                    break;
                case FrameType.RoomMessageEvent:
                    roomPosition = Math.Max(roomPosition, OnRoomMessage(frame.Payload, now));
                    break;
                case FrameType.Response when frame.RequestId == RoomRequestId:
                    OnRoomAnswer(frame.Payload);
                    break;
                case FrameType.LoginAccepted:
                    OnLoginAccepted(frame.Payload);
                    loggedIn.TrySetResult(true);
                    break;
                case FrameType.Response when frame.RequestId == LoginRequestId:
                    LoginRefusal = System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, frame.Payload);
                    loggedIn.TrySetResult(false);
                    break;
            }
        }
        if (pending > 0)
        {
            Acknowledge(acks.AsSpan(0, pending), sender);
        }
        if (roomPosition > 0)
        {
            AcknowledgeRoom(roomPosition);
        }
        return buffer.Start;
    }

    /// <summary>Reads the delivery id and text of an IncomingMessage without deserializing it; returns the id.</summary>
    private long OnIncoming(ReadOnlySequence<byte> payload, long now) => OnDelivery(payload, DeliveryIdName, now);

    /// <summary>
    /// Reads the number named <paramref name="idName"/> (a delivery id, a room position) and the text of a delivered
    /// message without deserializing it, counts it and hands the text to the receiver; returns the number.
    /// </summary>
    private long OnDelivery(ReadOnlySequence<byte> payload, byte[] idName, long now)
    {
        Span<byte> copy = stackalloc byte[1024];
        scoped ReadOnlySpan<byte> json;
        if (payload.IsSingleSegment)
        {
            json = payload.FirstSpan;
        }
        else
        {
            var length = (int)Math.Min(payload.Length, copy.Length);
            payload.Slice(0, length).CopyTo(copy);
            json = copy[..length];
        }
        var reader = new Utf8JsonReader(json);
        long id = 0, messageId = 0;
        scoped ReadOnlySpan<byte> text = default;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (reader.ValueTextEquals(idName))
            {
                reader.Read();
                id = reader.GetInt64();
            }
            else if (reader.ValueTextEquals(MessageIdName))
            {
                reader.Read();
                messageId = reader.GetInt64();
            }
            else if (reader.ValueTextEquals(TextName))
            {
                reader.Read();
                text = reader.ValueSpan; // our texts need no unescaping
            }
        }
        Delivered(messageId, text, now);
        return id;
    }

    /// <summary>Reads a compact delivery's ids and text (no strings made); returns its delivery id.</summary>
    private long OnIncomingCompact(ReadOnlySequence<byte> payload, long now)
    {
        Span<byte> copy = stackalloc byte[1024];
        var bytes = payload.IsSingleSegment ? payload.FirstSpan : copy[..(int)Math.Min(payload.Length, copy.Length)];
        if (!payload.IsSingleSegment)
        {
            payload.Slice(0, bytes.Length).CopyTo(copy);
        }
        if (!CompactPayloads.TrySliceIncoming(bytes, out var deliveryId, out var messageId, out var text))
        {
            throw new InvalidDataException("A malformed IncomingCompact frame.");
        }
        Delivered(messageId, text, now);
        return deliveryId;
    }

    /// <summary>Counts a delivered message, hands its text to the receiver and checks it for repeats in the ledger.</summary>
    private void Delivered(long messageId, ReadOnlySpan<byte> text, long now)
    {
        Interlocked.Increment(ref received);
        Receiver?.OnIncoming(this, text, now);
        if (messageId != 0 && Ledger is { } ledger && TryParseText(text, out var sender, out _))
        {
            CountShown(sender, messageId, ledger.Received(sender, messageId));
        }
    }

    /// <summary>Parses the sender index and stamp that <see cref="SendToRandom"/> put into a text.</summary>
    public static bool TryParseText(ReadOnlySpan<byte> text, out int sender, out long stamp)
    {
        stamp = 0;
        return Utf8Parser.TryParse(text, out sender, out var used) && used == 5
            && Utf8Parser.TryParse(text[6..], out stamp, out used) && used == 20;
    }
}
