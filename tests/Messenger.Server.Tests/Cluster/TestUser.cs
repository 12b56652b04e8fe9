using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Hosting;
using Messenger.Server.Sessions;

namespace Messenger.Server.Tests.Cluster;

/// <summary>A user logged in on one in-process node, driving its handlers as its client's frames would.</summary>
public sealed class TestUser(ServerCore node, Session session, WatchedLink link, string resumeToken)
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private uint nextRequest = 100;

    public ServerCore Node => node;

    public Session Session => session;

    public WatchedLink Link => link;

    public string ResumeToken => resumeToken;

    public string Name => session.User;

    public Task SendAsync(string to, long messageId, string text = "hi") =>
        RequestAsync(FrameType.SendMessage, new SendMessageRequest(to, text, messageId), Json.SendMessageRequest);

    public Task<SendResult> OutcomeAsync(long messageId) =>
        link.ExpectAsync(FrameType.SendResult, Json.SendResult, r => r.MessageId == messageId);

    public Task<Response> RefusalAsync() => link.ExpectAsync(FrameType.Response, Json.Response, r => r.Status != StatusCode.Ok);

    /// <summary>Waits for the message from <paramref name="from"/> with <paramref name="messageId"/> and acknowledges it, as the client does.</summary>
    public async Task<IncomingMessage> ReceiveAsync(string from, long messageId)
    {
        var incoming = await link.ExpectAsync(FrameType.IncomingMessage, Json.IncomingMessage, m => m.From == from && m.MessageId == messageId);
        await node.Acks.AcknowledgeAsync(session, [incoming.DeliveryId]);
        return incoming;
    }

    public int TimesShown(string from, long messageId) =>
        link.All(FrameType.IncomingMessage, Json.IncomingMessage).Count(m => m.From == from && m.MessageId == messageId);

    public Task<PresenceEvent> PresenceAsync(string user, PresenceKind kind) =>
        link.ExpectAsync(FrameType.Presence, Json.PresenceEvent, p => p.User == user && p.Kind == kind);

    public bool SawPresence(string user, PresenceKind kind) =>
        link.All(FrameType.Presence, Json.PresenceEvent).Any(p => p.User == user && p.Kind == kind);

    public async Task<string[]> WhoElseAsync()
    {
        await RequestAsync(FrameType.WhoElse, new WhoElseRequest(), Json.WhoElseRequest);
        return (await link.ExpectAsync(FrameType.UserList, Json.UserList, _ => true)).Users;
    }

    public Task BroadcastAsync(string text) => RequestAsync(FrameType.Broadcast, new BroadcastRequest(text), Json.BroadcastRequest);

    public async Task<Response> BlockAsync(string user)
    {
        await RequestAsync(FrameType.Block, new BlockRequest(user), Json.BlockRequest);
        return await link.ExpectAsync(FrameType.Response, Json.Response, r => r.Message.Contains(user, StringComparison.Ordinal));
    }

    /// <summary>Sends one request frame through the node's dispatcher, as the connection's read loop does.</summary>
    public async Task RequestAsync<T>(FrameType type, T request, JsonTypeInfo<T> info)
    {
        var id = nextRequest++;
        var bytes = FrameEncoder.ToArray(type, id, request, info);
        var header = new FrameHeader(type, id, bytes.Length - FrameHeader.Size, 0);
        await node.Dispatcher.DispatchAsync(session, link, new Frame(header, new ReadOnlySequence<byte>(bytes, FrameHeader.Size, bytes.Length - FrameHeader.Size)));
    }
}
