using System.Buffers;
using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.IntegrationTests;

/// <summary>
/// Compact direct messages (docs/PROTOCOL.md §4.2) through a real server: a client that named <c>compact</c> sends,
/// receives and acknowledges in compact frames, a client that did not is never sent one, and the delivery guarantee
/// (delivered only on ack, a resend answered with the first outcome, a stored backlog) holds in both forms.
/// </summary>
[TestClass]
public sealed class CompactFrameTests
{
    [TestMethod]
    public async Task CompactClientsSendReceiveAndAcknowledgeInCompactFrames()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await LogInCompactAsync(server, "alice");
        await using var carol = await LogInCompactAsync(server, "carol");

        await carol.SendBytesAsync(CompactFrames.SendMessage(5, "alice", "hello in binary", 71));
        var incoming = Incoming(await ReadUntilAsync(alice, FrameType.IncomingCompact));
        Assert.AreEqual(("carol", "hello in binary", 71L, false, false), (incoming.From, incoming.Text, incoming.MessageId, incoming.IsBroadcast, incoming.WasStored));

        await alice.SendBytesAsync(CompactFrames.Ack([incoming.DeliveryId]));
        var answer = await ReadUntilAsync(carol, FrameType.SendResultCompact);
        Assert.AreEqual(5u, answer.RequestId);
        Assert.IsTrue(CompactPayloads.TryReadSendResult(answer.Payload, out var result));
        Assert.AreEqual(new SendResult(71, DeliveryOutcome.Delivered), result, "delivered once the recipient acknowledged it");
    }

    [TestMethod]
    public async Task ACompactClientAndAJsonClientEachGetTheirOwnForm()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await LogInCompactAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");

        await alice.SendBytesAsync(CompactFrames.SendMessage(3, "bob", "to a json client", 1));
        await bob.ExpectAsync("alice: to a json client");
        var answer = await ReadUntilAsync(alice, FrameType.SendResultCompact);
        Assert.IsTrue(CompactPayloads.TryReadSendResult(answer.Payload, out var result));
        Assert.AreEqual(DeliveryOutcome.Delivered, result.Outcome, "bob's client acknowledged it in JSON, alice hears it compact");

        bob.Type("message alice back in json");
        var incoming = Incoming(await ReadUntilAsync(alice, FrameType.IncomingCompact));
        Assert.AreEqual(("bob", "back in json"), (incoming.From, incoming.Text));
    }

    [TestMethod]
    public async Task ACompactResendIsAnsweredWithTheFirstOutcomeAndShownOnce()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await LogInCompactAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");

        await alice.SendBytesAsync(CompactFrames.SendMessage(3, "bob", "only once", 99));
        await ReadUntilAsync(alice, FrameType.SendResultCompact);
        await alice.SendBytesAsync(CompactFrames.SendMessage(4, "bob", "only once", 99));
        var again = await ReadUntilAsync(alice, FrameType.SendResultCompact);
        Assert.AreEqual(4u, again.RequestId);
        Assert.IsTrue(CompactPayloads.TryReadSendResult(again.Payload, out var result));
        Assert.AreEqual(new SendResult(99, DeliveryOutcome.Delivered), result);

        await bob.BarrierAsync();
        Assert.AreEqual(1, bob.Ui.Messages.Count(line => line == "alice: only once"));
    }

    [TestMethod]
    public async Task AStoredMessageReachesACompactClientAtLoginMarkedStored()
    {
        await using var server = await TestServer.StartAsync();
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            bob.Type("message alice while you were away");
            await bob.ExpectAsync("alice is not connected; your message is kept and will be delivered when they are.");
        }
        await using var alice = await LogInCompactAsync(server, "alice");
        var incoming = Incoming(await ReadUntilAsync(alice, FrameType.IncomingCompact));
        Assert.AreEqual(("bob", "while you were away", true), (incoming.From, incoming.Text, incoming.WasStored));
    }

    [TestMethod]
    public async Task AMalformedCompactSendIsRefusedAndTheConnectionStays()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await LogInCompactAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");

        var frame = CompactFrames.SendMessage(6, "bob", "cut", 1);
        var lying = CompactFrames.SendMessage(6, "bob", "cut", 1);
        lying[FrameHeader.Size + 8] = 200; // the name's length runs past the payload
        await alice.SendBytesAsync(Frames(FrameType.SendMessageCompact, 6, lying.AsSpan(FrameHeader.Size).ToArray()));
        var refusal = (await alice.ReadResponseAsync(6)).AsResponse();
        Assert.AreEqual((StatusCode.BadRequest, Reasons.BadRequest), (refusal?.Status, refusal?.Reason));

        await alice.SendBytesAsync(frame);
        await bob.ExpectAsync("alice: cut");
    }

    [TestMethod]
    public async Task WithCompactFramesOffTheServerSpeaksJsonToEveryoneAndTheClientFollows()
    {
        await using var server = await TestServer.StartAsync(options => options with { CompactFrames = false });
        await using var alice = await RawConnection.ConnectAsync(server.Port, server.Options.Plaintext);
        await alice.SendAsync(FrameType.Login, 1, new LoginRequest("alice", TestDefaults.Accounts["alice"], Features: [ClientFeatures.Compact]),
            ProtocolJsonContext.Default.LoginRequest);
        var accepted = (await alice.ReadResponseAsync(1)).Read(ProtocolJsonContext.Default.LoginAccepted);
        Assert.IsNull(accepted.Features, "the server does not confirm compact frames");
        await alice.SendBytesAsync(CompactFrames.SendMessage(2, "bob", "refused", 1));
        Assert.AreEqual(StatusCode.BadRequest, (await alice.ReadResponseAsync(2)).AsResponse()?.Status, "nor does it take them");

        await using var carol = await TestClient.LoginAsync(server, "carol");
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            carol.Type("message alice in json");
            var frame = await alice.ReadFrameAsync();
            while (frame!.Type != FrameType.IncomingMessage)
            {
                Assert.AreNotEqual(FrameType.IncomingCompact, frame.Type);
                frame = await alice.ReadFrameAsync();
            }
            Assert.AreEqual("in json", frame.Read(ProtocolJsonContext.Default.IncomingMessage).Text);

            carol.Type("message bob acknowledged in json");
            await bob.ExpectAsync("carol: acknowledged in json");
            await bob.LogoutAsync();
        }
        // Had bob's client acknowledged compactly, the server would have refused the ack and offered the message again.
        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        carol.Type("message bob marker");
        await bobAgain.ExpectAsync("carol: marker");
        Assert.IsFalse(bobAgain.Ui.Lines.Any(line => line.Contains("acknowledged in json", StringComparison.Ordinal)));
        await carol.BarrierAsync();
        Assert.IsFalse(carol.Ui.Lines.Any(line => line.Contains("not a request", StringComparison.Ordinal)), "carol's sends were JSON");
    }

    private static async Task<RawConnection> LogInCompactAsync(TestServer server, string user) =>
        await RawConnection.LogInAsync(server, new LoginRequest(user, TestDefaults.Accounts[user], Features: [ClientFeatures.Compact]));

    /// <summary>A frame with a correct header (length, checksum) around any payload.</summary>
    private static byte[] Frames(FrameType type, uint requestId, byte[] payload)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteRaw(output, type, requestId, payload);
        return output.WrittenSpan.ToArray();
    }

    private static IncomingMessage Incoming(ReceivedFrame frame) =>
        CompactPayloads.TryReadIncoming(frame.Payload, out var message) ? message : throw new AssertFailedException("a malformed IncomingCompact");

    /// <summary>Skips presence and other events until a frame of <paramref name="type"/>; no JSON delivery may come first.</summary>
    private static async Task<ReceivedFrame> ReadUntilAsync(RawConnection raw, FrameType type)
    {
        while (true)
        {
            var frame = await raw.ReadFrameAsync() ?? throw new AssertFailedException($"closed before a {type} frame");
            Assert.IsFalse(frame.Type is FrameType.IncomingMessage or FrameType.SendResult, $"a compact client was sent a JSON {frame.Type}");
            if (frame.Type == type)
            {
                return frame;
            }
        }
    }
}
