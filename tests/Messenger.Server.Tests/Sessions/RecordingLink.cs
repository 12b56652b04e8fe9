using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Messenger.Server.Sessions;

namespace Messenger.Server.Tests.Sessions;

/// <summary>A link that keeps every frame it was sent, for handler tests without sockets.</summary>
public sealed class RecordingLink : IClientLink
{
    public List<(FrameType Type, uint RequestId, byte[] Payload)> Frames { get; } = [];

    public string RemoteAddress => "127.0.0.1";

    public bool IsOpen { get; private set; } = true;

    public bool TrySend(ReadOnlyMemory<byte> frame, OutboundLane lane = OutboundLane.Control)
    {
        var sent = SentFrame.Decode(frame);
        Frames.Add((sent.Type, sent.RequestId, sent.Payload));
        return true;
    }

    public void Close(string reason) => IsOpen = false;

    public void Abort(string reason) => IsOpen = false;

    /// <summary>The payload of frame <paramref name="at"/>, which must be of <paramref name="type"/>.</summary>
    public T Read<T>(Index at, FrameType type, JsonTypeInfo<T> info)
        where T : class
    {
        Assert.AreEqual(type, Frames[at].Type);
        Assert.IsTrue(PayloadReader.TryRead(new ReadOnlySequence<byte>(Frames[at].Payload), info, out var value));
        return value;
    }

    /// <summary>The one frame sent, a presence event, as "user Kind".</summary>
    public string SinglePresence()
    {
        Assert.HasCount(1, Frames);
        var presence = Presence(0);
        return $"{presence.User} {presence.Kind}";
    }

    public PresenceEvent Presence(Index at) => Read(at, FrameType.Presence, ProtocolJsonContext.Default.PresenceEvent);

    public PresenceDigest Digest(Index at) => Read(at, FrameType.PresenceDigest, ProtocolJsonContext.Default.PresenceDigest);

    public Response Response(Index at) => Read(at, FrameType.Response, ProtocolJsonContext.Default.Response);
}
