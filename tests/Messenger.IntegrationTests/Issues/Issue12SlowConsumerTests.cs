using System.Net.Sockets;
using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.IntegrationTests.Issues;

/// <summary>
/// Issue 12, holes 1-3: a client that never reads, or reads and never acknowledges, cost the server memory without
/// bound; a stored backlog came 1,000 messages per login; broadcasts stored for a dropped connection ignored the
/// mailbox cap. Now each is bounded, nothing acknowledged is lost, and the whole backlog arrives in one session.
/// </summary>
[TestClass]
public sealed class Issue12SlowConsumerTests
{
    /// <summary>Room for a number in front: a whole message is just under the text limit.</summary>
    private static readonly string LongText = new('<', ProtocolLimits.MaxTextLength - 10);

    private static Messenger.Server.Hosting.ServerOptions Fast(Messenger.Server.Hosting.ServerOptions options) => options with { MaxMessagesPerSecond = 100_000 };

    [TestMethod]
    public async Task AClientThatNeverReadsIsCutAtTheOutboundByteBoundAndEveryMessageForItIsStored()
    {
        await using var server = await TestServer.StartAsync(o => Fast(o) with
        {
            OutboundQueueBytes = 64 * 1024, MaxUnacknowledgedMessages = 100_000, MaxUnacknowledgedBytes = int.MaxValue,
            MaxStoredMessagesPerRecipient = 100_000,
        });
        // bob logs in, then stops reading (a tiny receive buffer, so the kernel holds little for him).
        await using var bob = await RawConnection.LogInAsync(server, new LoginRequest("bob", "bob-pass"), receiveBufferBytes: 4096);
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass"));

        const int Sent = 1500; // 6 MB of text: far more than bob's socket buffers and his 64 KiB queue hold.
        var answers = alice.ReadSendResultsAsync(Sent); // alice reads her answers as they come
        for (var i = 1; i <= Sent; i++)
        {
            await alice.SendAsync(FrameType.SendMessage, (uint)(i + 1), new SendMessageRequest("bob", $"{i} {LongText}", i), ProtocolJsonContext.Default.SendMessageRequest);
        }
        var outcomes = await answers;

        Assert.AreEqual(1, server.Chat.Stats.SlowConsumersDisconnected, "bob was cut as a slow consumer");
        Assert.AreEqual(Sent, outcomes.Count(o => o == DeliveryOutcome.Stored), "bob acknowledged nothing, so every message is stored, none lost");
        Assert.AreEqual(Sent, await server.Store.CountOfflineAsync("bob"));
    }

    [TestMethod]
    public async Task AClientThatReadsButNeverAcknowledgesIsCutAndGetsEverythingWhenItComesBack()
    {
        await using var server = await TestServer.StartAsync(o => Fast(o) with { MaxUnacknowledgedMessages = 50 });
        var bob = await RawConnection.LogInAsync(server, new LoginRequest("bob", "bob-pass"));
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass"));

        const int Bound = 50, Sent = 80;
        for (var i = 1; i <= Sent; i++)
        {
            await alice.SendAsync(FrameType.SendMessage, (uint)(i + 1), new SendMessageRequest("bob", $"unacked {i}", i), ProtocolJsonContext.Default.SendMessageRequest);
            if (i == Bound)
            {
                // Bob reads all of the first 50 (so none is dropped with the queue when he is cut), never acknowledging.
                for (var read = 0; read < Bound;)
                {
                    var frame = await bob.ReadFrameAsync() ?? throw new AssertFailedException("bob was cut before the bound");
                    read += frame.Type == FrameType.IncomingMessage ? 1 : 0;
                }
            }
        }
        var incomingAfterBound = 0;
        while (await bob.ReadFrameAsync() is { } frame)
        {
            incomingAfterBound += frame.Type == FrameType.IncomingMessage ? 1 : 0;
        }
        var outcomes = await alice.ReadSendResultsAsync(Sent);
        await bob.DisposeAsync();

        Assert.AreEqual(0, incomingAfterBound, "the 51st unacknowledged message cut the connection instead of being sent");
        Assert.AreEqual(1, server.Chat.Stats.SlowConsumersDisconnected, "bob was cut as a slow consumer");
        Assert.AreEqual(Sent, outcomes.Count(o => o == DeliveryOutcome.Stored));
        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        await bobAgain.ExpectAsync($"alice: unacked {Sent}");
        CollectionAssert.AreEqual(Enumerable.Range(1, Sent).Select(i => $"alice: unacked {i}").ToList(),
            bobAgain.Ui.Messages.Where(l => l.StartsWith("alice: unacked ", StringComparison.Ordinal)).ToList(), "all of them, once each, in order");
    }

    [TestMethod]
    public async Task AStoredBacklogOfManyPagesArrivesWholeInOrderWithLaterMessagesAfterIt()
    {
        const int Stored = 1234; // more than two pages of 500, and more than the old 1,000-per-login
        await using var server = await TestServer.StartAsync(o => Fast(o) with { MaxStoredMessagesPerRecipient = 5000 });
        await using (var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass")))
        {
            for (var i = 1; i <= Stored; i++)
            {
                await alice.SendAsync(FrameType.SendMessage, (uint)(i + 1), new SendMessageRequest("bob", $"backlog {i}", i), ProtocolJsonContext.Default.SendMessageRequest);
            }
            Assert.AreEqual(Stored, (await alice.ReadSendResultsAsync(Stored)).Count(o => o == DeliveryOutcome.Stored));
        }
        await using var carol = await TestClient.LoginAsync(server, "carol");

        await using var bob = await TestClient.LoginAsync(server, "bob");
        carol.Type("message bob sent while the backlog drains");
        await bob.ExpectAsync($"alice: backlog {Stored}");
        await bob.ExpectAsync("carol: sent while the backlog drains");

        var lines = bob.Ui.Messages.Where(l => l.StartsWith("alice: backlog ", StringComparison.Ordinal) || l.StartsWith("carol:", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(1, Stored).Select(i => $"alice: backlog {i}").Append("carol: sent while the backlog drains").ToList(), lines,
            "the whole backlog, once each, in order, and the later message after it");
    }

    [TestMethod]
    public async Task BroadcastsStoredForADroppedConnectionRespectTheMailboxCap()
    {
        await using var server = await TestServer.StartAsync(o => Fast(o) with { MaxStoredMessagesPerRecipient = 5 });
        var bob = await RawConnection.LogInAsync(server, new LoginRequest("bob", "bob-pass"));
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass"));
        for (var i = 1; i <= 20; i++)
        {
            await alice.SendAsync(FrameType.Broadcast, (uint)(i + 1), new BroadcastRequest($"storm {i}"), ProtocolJsonContext.Default.BroadcastRequest);
            await alice.ReadResponseAsync((uint)(i + 1));
        }
        var session = server.Chat.Sessions.Find("bob")!;
        await bob.DisposeAsync(); // gone without acknowledging: the 20 broadcasts in flight go to his mailbox

        await server.Chat.Lifecycle.EndSessionAsync(session, Reasons.LoggedOut); // waits for the detach's store writes

        Assert.AreEqual(5, await server.Store.CountOfflineAsync("bob"), "no path stores past the cap");
    }

    [TestMethod]
    public async Task ACutClientsSessionIsDetachedWhenItIsCutNotWhenItsConnectionFinallyEnds()
    {
        // Under load a closing connection's loops can end a second or more after the cut; a storm kept 16,000
        // deliveries in memory for the cut client until then. This link is cut and never ends.
        await using var server = await TestServer.StartAsync(o => Fast(o) with { MaxUnacknowledgedMessages = 50 });
        var bobLink = new NeverEndingLink();
        Assert.IsNotNull(await server.Chat.Logins.LoginAsync(bobLink, 1, new LoginRequest("bob", "bob-pass")));
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass"));

        const int Sent = 80;
        for (var i = 1; i <= Sent; i++)
        {
            await alice.SendAsync(FrameType.SendMessage, (uint)(i + 1), new SendMessageRequest("bob", $"to the cut {i}", i), ProtocolJsonContext.Default.SendMessageRequest);
        }
        var outcomes = await alice.ReadSendResultsAsync(Sent);

        Assert.AreEqual(Reasons.SlowConsumer, bobLink.AbortedWith);
        Assert.IsNull(server.Chat.Sessions.Find("bob")!.Link, "detached at the cut");
        Assert.AreEqual(Sent, outcomes.Count(o => o == DeliveryOutcome.Stored), "the 50 in flight and the 30 after them, stored at once");
        Assert.AreEqual(Sent, await server.Store.CountOfflineAsync("bob"));
        Assert.AreEqual(0, bobLink.SendsAfterCut, "nothing was offered to the link after the cut");
    }

    /// <summary>Takes every frame and never reads an acknowledgement; once cut, it stays closing and never ends.</summary>
    private sealed class NeverEndingLink : Messenger.Server.Sessions.IClientLink
    {
        private volatile bool open = true;

        public string RemoteAddress => "127.0.0.1";

        public bool IsOpen => open;

        public int SendsAfterCut { get; private set; }

        public string? AbortedWith { get; private set; }

        public bool TrySend(ReadOnlyMemory<byte> frame, Messenger.Protocol.Transport.OutboundLane lane = Messenger.Protocol.Transport.OutboundLane.Control)
        {
            SendsAfterCut += open ? 0 : 1;
            return open;
        }

        public void Close(string reason) => open = false;

        public void Abort(string reason)
        {
            AbortedWith ??= reason;
            open = false;
        }
    }
}
