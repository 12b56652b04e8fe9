using System.Threading.Channels;
using Messenger.Protocol.Tasks;
using Messenger.Protocol.Transport;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Messenger.Server.Cluster;

/// <summary>
/// The bus on Redis Streams: an inbox stream per node (<c>mx:in:{node}</c>) and one event stream for all
/// (<c>mx:events</c>), read with one blocking XREAD for both on a connection of the reader's own (Redis answers it
/// when an entry arrives, or empty after a poll interval; so no wake-up message, one command per wake-up). One
/// writer loop sends everything in order (batched: what queued meanwhile goes in one XADD per stream). A failed XADD
/// tells the node which link lost items; a missing or changed <c>mx:gen</c> means Redis lost its data (restarted
/// without saving), and the node stores what was in flight and reloads its mirrors. Redis holds nothing that cannot be
/// rebuilt from PostgreSQL.
/// </summary>
public sealed class RedisStreamsBus : IClusterBus
{
    private const string EventsKey = "mx:events";
    private const string GenerationKey = "mx:gen";
    internal const int ReadBatch = 256;
    private const int WriteBatch = 256;

    private readonly ConnectionMultiplexer redis;
    private readonly ConnectionMultiplexer reads;
    private readonly ClusterOptions options;
    private readonly ILogger logger;
    // What to write, with the node it goes to (null: the event stream); the stream's key is the write loop's.
    private readonly Channel<(string? Node, ClusterItem Item)> outgoing =
        Channel.CreateUnbounded<(string?, ClusterItem)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BackgroundWork writer;
    private readonly NameCache names = new(); // the read loop's
    private IClusterInbox? inbox;
    private string? generation;

    private RedisStreamsBus(ConnectionMultiplexer redis, ConnectionMultiplexer reads, string nodeId, ClusterOptions options, ILogger logger)
    {
        (this.redis, this.reads, NodeId, this.options, this.logger) = (redis, reads, nodeId, options, logger);
        writer = new BackgroundWork((what, failure) => logger.LogError(failure, "Cluster bus failed while {What}", what));
    }

    public string NodeId { get; }

    private string InboxKey => "mx:in:" + NodeId;

    public static async Task<RedisStreamsBus> ConnectAsync(ClusterOptions options, string nodeId, ILogger logger)
    {
        var configuration = ConfigurationOptions.Parse(options.Redis);
        configuration.AbortOnConnectFail = false; // Redis may restart: keep reconnecting, the node carries on meanwhile.
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        // The blocking read waits on a connection of its own: on the shared one every command would queue behind it.
        var reads = await ConnectionMultiplexer.ConnectAsync(configuration);
        return new RedisStreamsBus(redis, reads, nodeId, options, logger);
    }

    // From is this node for every item written here: the entry says it once (ClusterItemCodec).
    public void Send(string node, ClusterItem item) => outgoing.Writer.TryWrite((node, item));

    public void Publish(ClusterItem item) => outgoing.Writer.TryWrite((null, item));

    public async Task RunAsync(IClusterInbox inbox, CancellationToken cancellationToken)
    {
        this.inbox = inbox;
        var database = redis.GetDatabase();
        // A node starts afresh: what was left in its inbox was stored by its senders when it died.
        await database.KeyDeleteAsync(InboxKey);
        generation = await JoinGenerationAsync(database);
        RedisValue inboxPosition = "0-0";
        var eventsPosition = await LastIdAsync(database, EventsKey);
        writer.Run("writing to Redis", () => WriteLoopAsync(database, cancellationToken));
        try
        {
            await ReadLoopAsync(database, inbox, inboxPosition, eventsPosition, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the owner.
        }
    }

    private async Task ReadLoopAsync(IDatabase database, IClusterInbox inbox, RedisValue inboxPosition, RedisValue eventsPosition,
        CancellationToken cancellationToken)
    {
        var looks = new GenerationLookSchedule(options.PollInterval, TimeProvider.System);
        redis.ConnectionFailed += (_, _) => looks.LookNext();
        redis.ConnectionRestored += (_, _) => looks.LookNext();
        // Inbox entries read and not yet deleted: deleted in one XDEL at each look (it was an XDEL per read, ~1 per message
        // at low rates), and always before a reset re-reads the inbox from its start.
        var readIds = new List<RedisValue>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (looks.TakeIfDue())
                {
                    if (readIds.Count > 0)
                    {
                        await database.StreamDeleteAsync(InboxKey, [.. readIds]);
                        readIds.Clear();
                    }
                    if (await GenerationChangedAsync(database))
                    {
                        (inboxPosition, eventsPosition) = ("0-0", "0-0");
                        await inbox.BusResetAsync();
                    }
                }
                // Both streams in one XREAD, which waits for the next entry (it was a PUBLISH by the writer, then this reader's
                // XREAD: ~3 commands per hop at low rates, and a wake-up's trip more in each hop's latency).
                var streams = await BlockingStreamRead.ReadAsync(reads.GetDatabase(),
                    [new StreamPosition(InboxKey, inboxPosition), new StreamPosition(EventsKey, eventsPosition)], ReadBatch, options.PollInterval);
                foreach (var stream in streams.Where(s => s.Entries.Length > 0))
                {
                    var ownInbox = stream.Key == InboxKey;
                    var last = await HandleAsync(stream.Entries);
                    (inboxPosition, eventsPosition) = ownInbox ? (last, eventsPosition) : (inboxPosition, last);
                    if (ownInbox)
                    {
                        readIds.AddRange(stream.Entries.Select(e => e.Id));
                    }
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Cluster bus: Redis unreachable ({Message}); retrying", ex.Message);
                looks.LookNext(); // it may come back empty: look first
                await Task.Delay(options.PollInterval * 5, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Applies the items of <paramref name="entries"/> (not empty) and returns the last id. A client's writer wakes once
    /// for what the reply queued for it (~2 of its ~120 items per client at W1), not at its first frame.
    /// </summary>
    private async Task<RedisValue> HandleAsync(StreamEntry[] entries)
    {
        await DeferredWakes.ForEachAsync(ItemsFromOthers(entries), inbox!.ReceiveAsync);
        return entries[^1].Id;
    }

    private IEnumerable<ClusterItem> ItemsFromOthers(StreamEntry[] entries) =>
        entries.SelectMany(entry => ClusterItemCodec.Decode(((ReadOnlyMemory<byte>)entry.Values[0].Value).Span, names))
            .Where(item => item.From != NodeId);

    private async Task WriteLoopAsync(IDatabase database, CancellationToken cancellationToken)
    {
        // Per destination node (and for the event stream), its stream key and the items of this drain; kept across drains,
        // so a batch makes no grouping objects, copies or keys. Written in the order each destination's first item was
        // queued: per-destination order is the queue's order.
        var streams = new Dictionary<string, (string Key, string? Node, List<ClusterItem> Items)>(StringComparer.Ordinal);
        (string Key, string? Node, List<ClusterItem> Items) events = (EventsKey, null, []);
        var order = new List<(string Key, string? Node, List<ClusterItem> Items)>();
        var gathering = new BusWriteGathering(options.WriteGather, TimeProvider.System);
        try
        {
            while (await outgoing.Reader.WaitToReadAsync(cancellationToken))
            {
                await gathering.BeforeDrainAsync(cancellationToken);
                var taken = 0;
                for (; taken < WriteBatch && outgoing.Reader.TryRead(out var next); taken++)
                {
                    var stream = events;
                    if (next.Node is { } node && !streams.TryGetValue(node, out stream))
                    {
                        streams[node] = stream = ("mx:in:" + node, node, []);
                    }
                    if (stream.Items.Count == 0)
                    {
                        order.Add(stream);
                    }
                    stream.Items.Add(next.Item);
                }
                gathering.Drained(taken);
                foreach (var (key, node, items) in order)
                {
                    await WriteAsync(database, key, node, items);
                    items.Clear();
                }
                order.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One XADD of <paramref name="items"/> to <paramref name="key"/>: the inbox of <paramref name="node"/>, or the event stream (null).</summary>
    private async Task WriteAsync(IDatabase database, string key, string? node, List<ClusterItem> items)
    {
        var payload = ClusterItemCodec.Encode(items, NodeId);
        try
        {
            await database.StreamAddAsync(key, "b", payload, maxLength: node is null ? 100_000 : null, useApproximateMaxLength: true);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Cluster bus: {Count} items for {Stream} were not written ({Message})", items.Count, key, ex.Message);
            if (node is not null && inbox is not null)
            {
                await inbox.LinkLostAsync(node);
            }
        }
    }

    private static async Task<string> JoinGenerationAsync(IDatabase database)
    {
        await database.StringSetAsync(GenerationKey, Guid.NewGuid().ToString("N"), when: When.NotExists);
        return (string)(await database.StringGetAsync(GenerationKey))!;
    }

    /// <summary>True when Redis lost its data since the last look (the generation key is gone or another).</summary>
    private async Task<bool> GenerationChangedAsync(IDatabase database)
    {
        var current = await database.StringGetAsync(GenerationKey);
        if (current.HasValue && (string)current! == generation)
        {
            return false;
        }
        logger.LogWarning("Cluster bus: Redis lost its data (generation changed); storing what was in flight");
        generation = await JoinGenerationAsync(database);
        return true;
    }

    private static async Task<RedisValue> LastIdAsync(IDatabase database, string key)
    {
        var last = await database.StreamRangeAsync(key, "-", "+", 1, Order.Descending);
        return last.Length == 0 ? "0-0" : last[0].Id;
    }

    public async ValueTask DisposeAsync()
    {
        outgoing.Writer.TryComplete();
        await writer.DrainAsync(TimeSpan.FromSeconds(2));
        await redis.CloseAsync();
        await redis.DisposeAsync();
        await reads.CloseAsync();
        await reads.DisposeAsync();
    }
}
