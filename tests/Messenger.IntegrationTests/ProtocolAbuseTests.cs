using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class ProtocolAbuseTests
{
    [TestMethod]
    public async Task BadMagicGetsAnErrorThenCloseAndOthersAreUntouched()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var raw = await RawConnection.ConnectAsync(server.Port);
        await raw.SendBytesAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var error = (await raw.ReadFrameAsync())!.AsResponse()!;
        Assert.AreEqual(Reasons.ProtocolError, error.Reason);
        StringAssert.Contains(error.Message, "BadMagic");
        Assert.IsNull(await raw.ReadFrameAsync(), "the connection must be closed after a protocol error");

        alice.Type("message bob still fine");
        await bob.ExpectAsync("alice: still fine");
    }

    [TestMethod]
    public async Task OversizedFrameBeforeLoginIsRefusedWithoutReadingIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var raw = await RawConnection.ConnectAsync(server.Port);
        var header = new byte[FrameHeader.Size];
        new FrameHeader(FrameType.Login, 1, ProtocolLimits.MaxPreLoginPayloadLength + 1, 0).WriteTo(header);
        await raw.SendBytesAsync(header);
        var error = (await raw.ReadFrameAsync())!.AsResponse()!;
        Assert.AreEqual(StatusCode.PayloadTooLarge, error.Status);
        Assert.IsNull(await raw.ReadFrameAsync());
    }

    [TestMethod]
    public async Task MalformedJsonIsABadRequestAndTheConnectionStaysUsable()
    {
        await using var server = await TestServer.StartAsync();
        await using var raw = await RawConnection.ConnectAsync(server.Port);
        var junk = new System.Buffers.ArrayBufferWriter<byte>();
        FrameEncoder.WriteRaw(junk, FrameType.Login, 7, "{\"username\": 42"u8);
        await raw.SendBytesAsync(junk.WrittenSpan.ToArray());
        Assert.AreEqual(StatusCode.BadRequest, (await raw.ReadResponseAsync(7)).AsResponse()!.Status);

        await raw.SendAsync(FrameType.Login, 8, new LoginRequest("alice", "alice-pass"), ProtocolJsonContext.Default.LoginRequest);
        Assert.AreEqual(FrameType.LoginAccepted, (await raw.ReadResponseAsync(8)).Type);
    }

    [TestMethod]
    public async Task RequestsBeforeLoginAreRefused()
    {
        await using var server = await TestServer.StartAsync();
        await using var raw = await RawConnection.ConnectAsync(server.Port);
        await raw.SendAsync(FrameType.SendMessage, 3, new SendMessageRequest("bob", "hi", 1), ProtocolJsonContext.Default.SendMessageRequest);
        var reply = (await raw.ReadResponseAsync(3)).AsResponse()!;
        Assert.AreEqual(StatusCode.Unauthorized, reply.Status);
        Assert.AreEqual(Reasons.NotLoggedIn, reply.Reason);
    }

    [TestMethod]
    public async Task AResendWithTheSameMessageIdIsDeliveredOnce()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var raw = await RawConnection.ConnectAsync(server.Port);
        await raw.SendAsync(FrameType.Login, 1, new LoginRequest("alice", "alice-pass"), ProtocolJsonContext.Default.LoginRequest);
        await raw.ReadResponseAsync(1);
        var request = new SendMessageRequest("bob", "only once", 42);
        await raw.SendAsync(FrameType.SendMessage, 2, request, ProtocolJsonContext.Default.SendMessageRequest);
        await raw.SendAsync(FrameType.SendMessage, 3, request, ProtocolJsonContext.Default.SendMessageRequest);
        Assert.AreEqual(DeliveryOutcome.Delivered, (await raw.ReadResponseAsync(2)).Read(ProtocolJsonContext.Default.SendResult).Outcome);
        Assert.AreEqual(DeliveryOutcome.Delivered, (await raw.ReadResponseAsync(3)).Read(ProtocolJsonContext.Default.SendResult).Outcome);
        await bob.BarrierAsync();
        Assert.AreEqual(1, bob.Ui.Messages.Count(l => l == "alice: only once"));
    }
}
