using Messenger.Server.Sessions;

namespace Messenger.Server.Dispatch;

/// <summary>Who asked, over which link, under which request id: what a handler needs to answer later by itself.</summary>
public readonly record struct RequestContext(Session Session, IClientLink Link, uint RequestId);
