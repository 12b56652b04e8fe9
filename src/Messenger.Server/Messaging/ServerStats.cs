namespace Messenger.Server.Messaging;

/// <summary>Counters for the console's `stats` and for tests that prove what the server did (or never saw).</summary>
public sealed class ServerStats
{
    private readonly StripedCounter messagesRouted = new(); // Added to per message, from every core.
    private long messagesStored;
    private long connections;
    private long slowConsumers;

    public long MessagesRouted => messagesRouted.Sum();

    public long MessagesStored => Interlocked.Read(ref messagesStored);

    public long OpenConnections => Interlocked.Read(ref connections);

    /// <summary>Connections cut because more than the outbound byte bound or the unacknowledged bound waited for them.</summary>
    public long SlowConsumersDisconnected => Interlocked.Read(ref slowConsumers);

    public void SlowConsumerDisconnected()
    {
        Interlocked.Increment(ref slowConsumers);
        Hosting.ServerMetrics.SlowConsumerCuts.Add(1);
    }

    public void MessageRouted(int count = 1)
    {
        messagesRouted.Add(count);
        Hosting.ServerMetrics.Deliveries.Add(count);
    }

    public void MessageStored() => Interlocked.Increment(ref messagesStored);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref connections);
        Hosting.ServerMetrics.Connections.Add(1);
    }

    public void ConnectionClosed()
    {
        Interlocked.Decrement(ref connections);
        Hosting.ServerMetrics.Connections.Add(-1);
    }
}
