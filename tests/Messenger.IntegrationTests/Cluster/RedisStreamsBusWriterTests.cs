using System.Collections.Concurrent;
using System.Threading.Channels;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Transport;
using Messenger.Server.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Messenger.IntegrationTests.Cluster;

/// <summary>
/// The bus's writer on a real Redis: with the gathering on (ClusterOptions.WriteGather), bursts of items, some small
/// enough to be written at once and some that turn it on, all reach the other node once each and in the order sent; and
/// an XADD that fails (Redis is gone) tells the sending node which link lost items, so what was in flight to it is stored.
/// The reader hands each reply's items to its node with the client writers' wake-ups deferred to the reply's end.
/// </summary>
[TestClass]
[TestCategory("Cluster")]
public sealed class RedisStreamsBusWriterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task WithWriteGatheringOnEveryItemOfEachBurstReachesTheOtherNodeOnceAndInOrder()
    {
        RedisProcess.RequireInstalled();
        await using var redis = await RedisProcess.StartAsync();
        var options = new ClusterOptions { Redis = redis.Endpoint, WriteGather = TimeSpan.FromMilliseconds(20) };
        await using var sender = await RedisStreamsBus.ConnectAsync(options, "a", NullLogger.Instance);
        await using var receiver = await RedisStreamsBus.ConnectAsync(options with { WriteGather = TimeSpan.Zero }, "b", NullLogger.Instance);
        var received = new Inbox();
        using var stopping = new CancellationTokenSource();
        var reading = receiver.RunAsync(received, stopping.Token);
        var senderInbox = new Inbox();
        var writing = sender.RunAsync(senderInbox, stopping.Token);
        await UntilTheReceiverReadsAsync(sender, received);

        long next = 1;
        foreach (var burst in new[] { 1, 3, 2, 40, 1, 1, 5, 64, 2, 1 })
        {
            var first = next;
            for (var i = 0; i < burst; i++, next++)
            {
                sender.Send("b", new DeliverItem(next, "alice", "bob", next, $"text {next}", 0));
            }
            for (var expected = first; expected < next; expected++)
            {
                var item = await NextDeliverAsync(received);
                Assert.AreEqual(expected, item.Ref, "each item once, in the order sent");
                Assert.AreEqual("a", item.From);
            }
        }

        Assert.IsFalse(received.Items.Reader.TryPeek(out var extra) && extra is DeliverItem, $"nothing more arrived ({extra})");
        Assert.IsFalse(senderInbox.LostLinks.Reader.TryRead(out var lost), $"no link lost ({lost})");
        Assert.IsTrue(received.DeferringWhileHandled.All(deferring => deferring), "each reply's items handled with the writers' wake-ups deferred");
        await stopping.CancelAsync();
        await Task.WhenAll(reading, writing).WaitAsync(Patience);
    }

    [TestMethod]
    public async Task AnItemWrittenWhileRedisIsDownTellsTheSendingNodeItsLinkToTheDestinationLostItems()
    {
        RedisProcess.RequireInstalled();
        await using var redis = await RedisProcess.StartAsync();
        // A command waiting for a lost connection fails after a second (the default is five).
        var options = new ClusterOptions { Redis = redis.Endpoint + ",asyncTimeout=1000" };
        await using var sender = await RedisStreamsBus.ConnectAsync(options, "a", NullLogger.Instance);
        await using var receiver = await RedisStreamsBus.ConnectAsync(options, "b", NullLogger.Instance);
        var (received, senderInbox) = (new Inbox(), new Inbox());
        using var stopping = new CancellationTokenSource();
        var reading = receiver.RunAsync(received, stopping.Token);
        var writing = sender.RunAsync(senderInbox, stopping.Token);
        await UntilTheReceiverReadsAsync(sender, received);

        await redis.KillAsync();
        sender.Send("b", new DeliverItem(1, "alice", "bob", 1, "lost with Redis", 0));

        Assert.AreEqual("b", await senderInbox.LostLinks.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        await stopping.CancelAsync();
        await Task.WhenAll(reading, writing).WaitAsync(Patience);
    }

    /// <summary>The next message item (a late probe, if any, is passed over).</summary>
    private static async Task<DeliverItem> NextDeliverAsync(Inbox received)
    {
        while (true)
        {
            if (await received.Items.Reader.ReadAsync().AsTask().WaitAsync(Patience) is DeliverItem item)
            {
                return item;
            }
        }
    }

    /// <summary>The receiver empties its inbox stream when it starts: items are sent once a probe shows it reading.</summary>
    private static async Task UntilTheReceiverReadsAsync(RedisStreamsBus sender, Inbox received)
    {
        for (var probe = 0; probe < 50; probe++)
        {
            sender.Send("b", new PokeItem($"probe {probe}"));
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await received.Items.Reader.WaitToReadAsync(wait.Token);
                while (received.Items.Reader.TryRead(out _))
                {
                    // Probes only.
                }
                return;
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested)
            {
                // The receiver had not started reading: probe again.
            }
        }
        Assert.Fail("The receiving node never read its inbox.");
    }

    private sealed class Inbox : IClusterInbox
    {
        public Channel<ClusterItem> Items { get; } = Channel.CreateUnbounded<ClusterItem>();

        /// <summary>Per item handled, whether the client writers' wake-ups were deferred (to the end of its XREAD reply).</summary>
        public ConcurrentQueue<bool> DeferringWhileHandled { get; } = new();

        public ValueTask ReceiveAsync(ClusterItem item)
        {
            DeferringWhileHandled.Enqueue(DeferredWakes.IsDeferring);
            Items.Writer.TryWrite(item);
            return ValueTask.CompletedTask;
        }

        public Channel<string> LostLinks { get; } = Channel.CreateUnbounded<string>();

        public ValueTask LinkLostAsync(string node)
        {
            LostLinks.Writer.TryWrite(node);
            return ValueTask.CompletedTask;
        }

        public ValueTask BusResetAsync() => ValueTask.CompletedTask;
    }
}
