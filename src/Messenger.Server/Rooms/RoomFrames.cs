using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Storage;

namespace Messenger.Server.Rooms;

/// <summary>Encodes room events; each frame is complete and shared by every link it goes to.</summary>
public static class RoomFrames
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public static byte[] Message(string room, long position, string sender, long messageId, string text, DateTimeOffset sentAt, bool wasStored) =>
        FrameEncoder.ToArray(FrameType.RoomMessageEvent, 0,
            new RoomMessageEvent(room, position, sender, text, messageId, sentAt.ToUnixTimeMilliseconds(), wasStored), Json.RoomMessageEvent);

    public static byte[] Message(string room, RoomMessage message) =>
        Message(room, message.Position, message.Sender, message.MessageId, message.Text, message.SentAt, wasStored: true);

    public static byte[] Notice(string room, string text) =>
        FrameEncoder.ToArray(FrameType.RoomNotice, 0, new RoomNotice(room, text), Json.RoomNotice);
}
