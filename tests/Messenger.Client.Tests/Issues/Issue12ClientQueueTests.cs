using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Messenger.Client.Connection;
using Messenger.Client.Downloads;
using Messenger.Client.Peers;
using Messenger.Client.Tests.Support;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Messenger.Security;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Client.Tests.Issues;

/// <summary>
/// Issue 12, hole 8: the client's queues had no limit. A private peer that stopped reading let the texts for it pile
/// up, a server that stopped reading let requests pile up, events the consumer had not shown yet piled up as fast as
/// the server sent them, and a chunk server waited for ever on a downloader that asked and never read. Now each queue
/// is bounded in bytes and overrunning it ends that one session or link, with a reason.
/// </summary>
[TestClass]
public sealed class Issue12ClientQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly string LongText = new('x', ProtocolLimits.MaxTextLength);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task APeerThatStopsReadingEndsThePrivateSessionWhenItsQueuedTextsReachTheByteBound()
    {
        var stream = new StalledStream();
        await using var session = new PeerSession("bob", stream, PipeReader.Create(stream));
        var reading = session.Start(_ => { });
        var frameLength = PrivateTextFrameLength();

        var accepted = 0;
        while (session.Send(LongText))
        {
            accepted++;
            Assert.IsLessThanOrEqualTo(PeerSession.OutboundQueueBytes, session.QueuedBytes, "what waits for bob never exceeds the bound");
            Assert.IsLessThan(10_000, accepted, "the queue must refuse long before 40 MB of texts");
        }

        // The bound's worth queued, plus what the writer gathered into the write bob never takes (at most 64 KiB).
        Assert.IsInRange(PeerSession.OutboundQueueBytes / frameLength, 1 + ((PeerSession.OutboundQueueBytes + OutboundQueue.MaxGatheredBytes) / frameLength), accepted);
        Assert.AreEqual(PrivateCloseReasons.PeerNotReading, await session.Ended.WaitAsync(Timeout, TestContext.CancellationToken));
        await stream.Disposed.WaitAsync(Timeout, TestContext.CancellationToken); // The connection is dropped: the stuck write ends too.
        Assert.IsFalse(session.Send("after the end"));
        await reading.WaitAsync(Timeout, TestContext.CancellationToken); // The read loop ends with the session.
    }

    [TestMethod]
    public async Task TheUserIsToldThePrivateSessionEndedBecauseThePeerStoppedReading()
    {
        var ui = new RecordingInterface();
        await using var identity = PeerIdentity.Create();
        await using var chats = new PrivateChats(ui, identity, TimeProvider.System);
        var stream = new StalledStream();
        chats.Register(new PeerSession("bob", stream, PipeReader.Create(stream)));
        await ui.WaitForLineAsync("Private session with bob started", Timeout);

        // More texts than fit in the bound even with a gathered write's worth taken by the stuck write.
        var enough = 2 + ((PeerSession.OutboundQueueBytes + OutboundQueue.MaxGatheredBytes) / PrivateTextFrameLength());
        for (var i = 0; i < enough; i++)
        {
            chats.Send("bob", LongText);
        }

        var line = await ui.WaitForLineAsync("Private session with bob ended", Timeout);
        Assert.AreEqual("Private session with bob ended (bob stopped reading; texts not yet delivered were dropped).", line);
        Assert.IsFalse(chats.Has("bob"), "the session is gone, so 'private bob' says to start one again");
        Assert.IsFalse(chats.Send("bob", "after the end"));
    }

    [TestMethod]
    public async Task AServerFloodingEventsNobodyDrainsIsDroppedAtTheEventByteBoundKeepingWhatWasQueued()
    {
        using var listener = Listen();
        await using var link = await ServerLink.ConnectAsync("127.0.0.1", Port(listener), null, null, TestContext.CancellationToken);
        using var server = await listener.AcceptAsync(TestContext.CancellationToken);
        var notice = FrameEncoder.ToArray(FrameType.Notice, 0, new Notice(new string('n', 60_000)), ProtocolJsonContext.Default.Notice);
        var flooding = FloodAsync(server, notice, maxBytes: 4L * ServerLink.EventQueueBytes);

        // Nothing reads link.Events: the consumer is stuck, or the server is hostile.
        await link.Closed.WaitAsync(Timeout, TestContext.CancellationToken);

        StringAssert.Contains(link.OverflowReason, "behind the server's events");
        var queued = link.QueuedEventBytes;
        Assert.IsLessThanOrEqualTo(ServerLink.EventQueueBytes, queued);
        Assert.IsGreaterThan(ServerLink.EventQueueBytes - notice.Length, queued, "the queue filled up to the bound before the link ended");
        // What was queued is still shown (nothing acknowledged is lost; the rest is redelivered after the reconnect).
        long drained = 0;
        await foreach (var frame in link.Events.ReadAllAsync(TestContext.CancellationToken))
        {
            Assert.AreEqual(FrameType.Notice, frame.Type);
            drained += frame.Payload.Length;
        }
        Assert.AreEqual(queued, drained);
        Assert.AreEqual(0, link.QueuedEventBytes);
        server.Dispose(); // Ends a flood write stuck on the dropped connection.
        await flooding.WaitAsync(Timeout, TestContext.CancellationToken);
    }

    [TestMethod]
    public async Task AServerThatStopsReadingIsDroppedAtTheOutboundByteBoundAndPendingRequestsFailWithTheReason()
    {
        using var listener = Listen();
        listener.ReceiveBufferSize = 4096; // Inherited by the accepted socket: the kernel holds little for the server.
        await using var link = await ServerLink.ConnectAsync("127.0.0.1", Port(listener), null, null, TestContext.CancellationToken);
        using var server = await listener.AcceptAsync(TestContext.CancellationToken); // ...and never reads.

        var requests = new List<Task<ReceivedFrame>>();
        long sent = 0;
        while (!link.Closed.IsCompleted)
        {
            var request = new SendMessageRequest("bob", LongText, requests.Count + 1);
            requests.Add(link.RequestAsync(FrameType.SendMessage, request, ProtocolJsonContext.Default.SendMessageRequest));
            sent += LongText.Length;
            Assert.IsLessThanOrEqualTo(ServerLink.OutboundQueueBytes, link.QueuedOutboundBytes, "what waits for the server never exceeds the bound");
            Assert.IsLessThan(64L * 1024 * 1024, sent, "the link must end long before 64 MiB are queued for a server that does not read");
        }

        StringAssert.Contains(link.OverflowReason, "the server stopped reading");
        var lost = await Assert.ThrowsExactlyAsync<ConnectionLostException>(() => requests[^1].WaitAsync(Timeout, TestContext.CancellationToken));
        Assert.AreEqual(link.OverflowReason, lost.Message);
        Assert.IsTrue(requests.All(r => r.IsCompleted), "every request still waiting was told the link is gone");
    }

    [TestMethod]
    public async Task ADownloaderThatAsksForChunksButNeverReadsIsDroppedAfterTheWriteTimeout()
    {
        var time = new FakeTimeProvider();
        var request = FrameEncoder.ToArray(FrameType.ChunkRequest, 1, new ChunkRequest("no-such-file", 0), ProtocolJsonContext.Default.ChunkRequest);
        var stream = new StalledStream(request);
        var serving = new ChunkServer(new SharedFiles(), time).ServeAsync(new PeerLink("bob", TicketPurposes.Swarm, stream, PipeReader.Create(stream)));

        await stream.WriteStarted.WaitAsync(Timeout, TestContext.CancellationToken); // The answer waits for bob, who never reads it.
        Assert.IsFalse(serving.IsCompleted);
        time.Advance(ChunkServer.WriteTimeout);

        await serving.WaitAsync(Timeout, TestContext.CancellationToken);
        Assert.IsTrue(stream.Disposed.IsCompleted, "the link to bob is closed");
    }

    private static int PrivateTextFrameLength() =>
        FrameEncoder.ToArray(FrameType.PrivateText, 0, new PrivateText(LongText, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
            ProtocolJsonContext.Default.PrivateText).Length;

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        return listener;
    }

    private static int Port(Socket listener) => ((IPEndPoint)listener.LocalEndPoint!).Port;

    /// <summary>Writes the frame again and again until the connection is gone, or <paramref name="maxBytes"/> went out.</summary>
    private static async Task FloodAsync(Socket server, byte[] frame, long maxBytes)
    {
        try
        {
            await using var stream = new NetworkStream(server, ownsSocket: false);
            for (long written = 0; written < maxBytes; written += frame.Length)
            {
                await stream.WriteAsync(frame);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The connection is gone: the flood is over.
        }
    }
}
