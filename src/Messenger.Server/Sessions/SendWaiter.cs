namespace Messenger.Server.Sessions;

/// <summary>The sender's request still waiting for its delivery outcome.</summary>
public sealed record SendWaiter(Session Sender, IClientLink Link, uint RequestId, long MessageId);
