using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;
using Messenger.Protocol.Framing;

namespace Messenger.Bench;

/// <summary>
/// The room side of a simulated user (W3, W3b): joins one room, sends to it, reads each RoomMessageEvent's position
/// and text by hand, and acknowledges the highest position of each read in one RoomAck, as the real client does.
/// </summary>
public sealed partial class BenchConnection
{
    /// <summary>The one room the room workloads use.</summary>
    public const string Room = "#bench";

    private const int RoomRequestId = 4;

    private static readonly byte[] PositionName = "position"u8.ToArray();

    private long roomAnswers;
    private long roomRefusals;

    /// <summary>Answers to JoinRoom and RoomMessage requests (ok: joined, or accepted after the commit).</summary>
    public long RoomAnswers => Interlocked.Read(ref roomAnswers);

    public long RoomRefusals => Interlocked.Read(ref roomRefusals);

    public void JoinRoom()
    {
        lock (writeGate)
        {
            FrameEncoder.WriteRaw(outbound.Writer, FrameType.JoinRoom, RoomRequestId, "{\"room\":\"#bench\"}"u8);
            outbound.Flush();
        }
    }

    /// <summary>Sends <paramref name="count"/> messages to the room in one write; the text carries the sender and the stamp.</summary>
    public void SendToRoom(int count, long stamp)
    {
        Span<byte> payload = stackalloc byte[160];
        lock (writeGate)
        {
            for (var i = 0; i < count; i++)
            {
                Utf8.TryWrite(payload, $"{{\"room\":\"{Room}\",\"text\":\"{Index:D5}.{stamp:D20}.{i:D6}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\"messageId\":{++nextMessageId}}}", out var length);
                FrameEncoder.WriteRaw(outbound.Writer, FrameType.RoomMessage, RoomRequestId, payload[..length]);
            }
            sent += count;
            outbound.Flush();
        }
    }

    private void OnRoomAnswer(ReadOnlySequence<byte> payload)
    {
        // {"status":"Ok",...}: any other status is a refusal (rate limit, not a member) that the run must report.
        if (payload.FirstSpan.IndexOf("\"status\":\"Ok\""u8) >= 0)
        {
            Interlocked.Increment(ref roomAnswers);
        }
        else
        {
            Interlocked.Increment(ref roomRefusals);
        }
    }

    /// <summary>Reads a RoomMessageEvent's position and text without deserializing it; returns the position.</summary>
    private long OnRoomMessage(ReadOnlySequence<byte> payload, long now) => OnDelivery(payload, PositionName, now);

    private void AcknowledgeRoom(long position)
    {
        Span<byte> payload = stackalloc byte[96];
        Utf8.TryWrite(payload, $"{{\"positions\":[{{\"room\":\"{Room}\",\"position\":{position}}}]}}", out var length);
        lock (writeGate)
        {
            FrameEncoder.WriteRaw(outbound.Writer, FrameType.RoomAck, 0, payload[..length]);
            outbound.Flush();
        }
    }
}
