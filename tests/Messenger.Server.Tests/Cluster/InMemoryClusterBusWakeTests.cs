using Messenger.Protocol.Transport;
using Messenger.Server.Cluster;

namespace Messenger.Server.Tests.Cluster;

/// <summary>
/// The in-process bus hands what has arrived to its node as the Redis bus hands an XREAD reply: with the client writers'
/// wake-ups deferred to the end of the batch (<see cref="DeferredWakes"/>), and ended before a handling that waits.
/// </summary>
[TestClass]
public sealed class InMemoryClusterBusWakeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task ItemsThatArrivedTogetherAreHandledWithWakeUpsDeferredAndTheWriterWokenAfterTheLast()
    {
        var network = new InMemoryClusterNetwork();
        var sender = network.Join("a");
        var receiver = network.Join("b");
        for (var user = 1; user <= 3; user++)
        {
            sender.Send("b", new PokeItem($"user{user}"));
        }
        var queue = new OutboundQueue(1 << 20);
        var output = new MemoryStream();
        var writer = queue.RunWriterAsync(output); // waits for a wake-up
        var inbox = new RecordingInbox(item =>
        {
            queue.TryEnqueue(new byte[] { 1 });
            if (item is PokeItem { User: "user3" })
            {
                queue.Complete();
            }
            return ValueTask.CompletedTask;
        });
        using var stopping = new CancellationTokenSource();

        var reading = receiver.RunAsync(inbox, stopping.Token);

        await writer.WaitAsync(Timeout); // woken once the batch was handled: nothing lost
        CollectionAssert.AreEqual(new[] { true, true, true }, inbox.DeferringWhileHandled, "each item handled inside the window");
        Assert.AreEqual(3, output.Length);
        await stopping.CancelAsync();
        await reading.WaitAsync(Timeout);
    }

    [TestMethod]
    public async Task AHandlingThatWaitsForAWriterEndsTheWindowFirstSoTheBusGoesOn()
    {
        var network = new InMemoryClusterNetwork();
        var sender = network.Join("a");
        var receiver = network.Join("b");
        sender.Send("b", new PokeItem("first"));
        sender.Send("b", new PokeItem("second"));
        var queue = new OutboundQueue(1 << 20);
        var writer = queue.RunWriterAsync(Stream.Null);
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inbox = new RecordingInbox(async item =>
        {
            if (item is PokeItem { User: "first" })
            {
                // Ends the writer and waits for it: a wake-up held across this await would hang the bus reader.
                queue.Complete();
                await writer.WaitAsync(Timeout);
            }
            else
            {
                handled.SetResult();
            }
        });
        using var stopping = new CancellationTokenSource();

        var reading = receiver.RunAsync(inbox, stopping.Token);

        await handled.Task.WaitAsync(Timeout);
        CollectionAssert.AreEqual(new[] { true, true }, inbox.DeferringWhileHandled, "deferring again after the handling that waited");
        await stopping.CancelAsync();
        await reading.WaitAsync(Timeout);
    }

    private sealed class RecordingInbox(Func<ClusterItem, ValueTask> handle) : IClusterInbox
    {
        public List<bool> DeferringWhileHandled { get; } = [];

        public ValueTask ReceiveAsync(ClusterItem item)
        {
            DeferringWhileHandled.Add(DeferredWakes.IsDeferring);
            return handle(item);
        }

        public ValueTask LinkLostAsync(string node) => ValueTask.CompletedTask;

        public ValueTask BusResetAsync() => ValueTask.CompletedTask;
    }
}
