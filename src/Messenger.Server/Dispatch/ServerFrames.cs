using System.Buffers;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Server.Dispatch;

/// <summary>Encodes the frames the server sends. Each returns a complete frame, ready for any number of links.</summary>
public static class ServerFrames
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public static byte[] Response(uint requestId, StatusCode status, string message, string? reason = null) =>
        FrameEncoder.ToArray(FrameType.Response, requestId, new Response(status, message, reason), Json.Response);

    public static byte[] Ok(uint requestId, string message) => Response(requestId, StatusCode.Ok, message);

    public static byte[] LoginAccepted(uint requestId, LoginAccepted accepted) =>
        FrameEncoder.ToArray(FrameType.LoginAccepted, requestId, accepted, Json.LoginAccepted);

    /// <summary>A send's outcome, in the form of its request: compact for a compact send (docs/PROTOCOL.md §4.2).</summary>
    public static byte[] SendResult(uint requestId, long messageId, DeliveryOutcome outcome, bool compact = false) => compact
        ? CompactFrames.SendResult(requestId, messageId, outcome)
        : FrameEncoder.ToArray(FrameType.SendResult, requestId, new SendResult(messageId, outcome), Json.SendResult);

    public static byte[] BroadcastResult(uint requestId, int recipients, bool skippedByBlock) =>
        FrameEncoder.ToArray(FrameType.BroadcastResult, requestId, new BroadcastResult(recipients, skippedByBlock), Json.BroadcastResult);

    public static byte[] UserList(uint requestId, string[] users) =>
        FrameEncoder.ToArray(FrameType.UserList, requestId, new UserList(users), Json.UserList);

    public static byte[] PrivateGrant(uint requestId, PrivateGrant grant) =>
        FrameEncoder.ToArray(FrameType.PrivateGrant, requestId, grant, Json.PrivateGrant);

    public static byte[] FileLocations(uint requestId, FileLocations locations) =>
        FrameEncoder.ToArray(FrameType.FileLocations, requestId, locations, Json.FileLocations);

    public static byte[] HolderQuery(long queryId, string name) =>
        FrameEncoder.ToArray(FrameType.HolderQuery, 0, new HolderQuery(queryId, name), Json.HolderQuery);

    /// <summary>A delivery, compact for a client that named <c>compact</c> at login (docs/PROTOCOL.md §4.2).</summary>
    public static byte[] Incoming(IncomingMessage message, bool compact = false) => compact
        ? CompactFrames.Incoming(message)
        : FrameEncoder.ToArray(FrameType.IncomingMessage, 0, message, Json.IncomingMessage);

    public static byte[] Presence(PresenceEvent presence) =>
        FrameEncoder.ToArray(FrameType.Presence, 0, presence, Json.PresenceEvent);

    public static byte[] PresenceDigest(PresenceDigest digest) =>
        FrameEncoder.ToArray(FrameType.PresenceDigest, 0, digest, Json.PresenceDigest);

    public static byte[] SessionEnded(string reason, string message) =>
        FrameEncoder.ToArray(FrameType.SessionEnded, 0, new SessionEnded(reason, message), Json.SessionEnded);

    public static byte[] PrivateRequested(PrivateRequested requested) =>
        FrameEncoder.ToArray(FrameType.PrivateRequested, 0, requested, Json.PrivateRequested);

    public static byte[] PrivateConsent(PrivateConsent consent) =>
        FrameEncoder.ToArray(FrameType.PrivateConsent, 0, consent, Json.PrivateConsent);

    public static byte[] Notice(string text) =>
        FrameEncoder.ToArray(FrameType.Notice, 0, new Notice(text), Json.Notice);
}
