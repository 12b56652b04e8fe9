using Messenger.Server.Sessions;

namespace Messenger.Server.Dispatch;

/// <summary>Who asked, over which link, under which request id: what a handler needs to answer later by itself.</summary>
/// <param name="ReceivedAt">
/// The clock's reading when the request was taken, for a request that counts as activity (the dispatcher reads it once
/// for the idle timeout, and a send uses the same reading for its time and its rate limit); null otherwise.
/// </param>
public readonly record struct RequestContext(Session Session, IClientLink Link, uint RequestId, DateTimeOffset? ReceivedAt = null);
