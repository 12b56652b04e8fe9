namespace Messenger.IntegrationTests.Harness;

/// <summary>One direction of the path through a <see cref="FaultProxy"/>.</summary>
public enum ProxyDirection
{
    /// <summary>What the client sends: requests, acknowledgements, pings.</summary>
    ClientToServer,

    /// <summary>What the server sends: answers, deliveries, backlog pages.</summary>
    ServerToClient,
}
