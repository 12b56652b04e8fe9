using System.Net.Sockets;
using Messenger.Protocol.Contracts;
using Messenger.Server.Connections;
using Messenger.Server.Dispatch;
using Messenger.Server.Messaging;
using Messenger.Server.Tests.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Messenger.Server.Tests.Issues;

/// <summary>
/// Issue 12, holes 1 and 7: the outbound queue was bounded in frames (8,192 frames of up to 24 KB each), and a writer
/// that threw anything but an I/O exception left its connection waiting forever, its session never detached.
/// </summary>
[TestClass]
public sealed class Issue12ConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task AWriterThatThrowsClosesItsConnectionAndTheSessionIsDetached()
    {
        using var pair = await LoopbackPair.ConnectAsync();
        var connection = new ClientConnection(pair.Server, new FaultyStream(new NetworkStream(pair.Server), FaultyStream.Fault.ThrowOnWrite), 1 << 20, NullLogger.Instance);
        var handler = new RecordingHandler();
        var running = connection.RunAsync(handler);

        Assert.IsTrue(connection.TrySend(ServerFrames.Notice("hello")));

        await running.WaitAsync(Timeout, TestContext.CancellationToken);
        await handler.Closed.WaitAsync(Timeout, TestContext.CancellationToken);
        Assert.IsFalse(connection.IsOpen);
    }

    [TestMethod]
    public async Task TheOutboundQueueIsBoundedInBytesAndOverflowCutsOnlyThatConnection()
    {
        using var pair = await LoopbackPair.ConnectAsync();
        var stats = new ServerStats();
        const int Bound = 64 * 1024;
        var connection = new ClientConnection(pair.Server, new FaultyStream(new NetworkStream(pair.Server), FaultyStream.Fault.NeverCompleteWrites), Bound, NullLogger.Instance, stats);
        var handler = new RecordingHandler();
        var running = connection.RunAsync(handler);
        var frame = ServerFrames.Notice(new string('x', 4000));

        var accepted = 0;
        while (connection.TrySend(frame))
        {
            accepted++;
            Assert.IsLessThan(1000, accepted, "the queue must refuse long before a thousand 4 KB frames");
        }

        // The queue fills up to the bound and no further (plus the frame in the stuck write, if the writer took it yet).
        Assert.IsInRange(Bound / frame.Length, 1 + (Bound / frame.Length), accepted);
        Assert.AreEqual(1, stats.SlowConsumersDisconnected);
        Assert.AreEqual(Reasons.SlowConsumer, connection.CloseReason);
        await running.WaitAsync(Timeout, TestContext.CancellationToken);
        await handler.Closed.WaitAsync(Timeout, TestContext.CancellationToken);
    }
}
