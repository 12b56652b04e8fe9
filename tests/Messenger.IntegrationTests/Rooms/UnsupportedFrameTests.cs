using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>
/// Old and new side by side: a frame type this server does not know (from a newer client) gets a clear answer and the
/// connection stays; a client from before rooms is never sent a room frame.
/// </summary>
[TestClass]
public sealed class UnsupportedFrameTests
{
    [TestMethod]
    public async Task AnUnknownFrameTypeIsAnsweredUnsupportedAndTheConnectionGoesOn()
    {
        await using var server = await TestServer.StartAsync();
        await using var raw = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass"));

        await raw.SendAsync((FrameType)0xF3, 7, new JoinRoomRequest("#from-the-future"), ProtocolJsonContext.Default.JoinRoomRequest);
        var answer = (await raw.ReadResponseAsync(7)).AsResponse();
        await raw.SendAsync(FrameType.JoinRoom, 8, new JoinRoomRequest("#today"), ProtocolJsonContext.Default.JoinRoomRequest);
        var joined = (await raw.ReadResponseAsync(8)).AsResponse();

        Assert.AreEqual(StatusCode.BadRequest, answer?.Status);
        Assert.AreEqual(Reasons.Unsupported, answer?.Reason);
        Assert.AreEqual("This server does not support frame type 0xF3 (a newer client?); the connection stays open.", answer?.Message);
        Assert.AreEqual(StatusCode.Ok, joined?.Status, "the same connection still works");
    }

    [TestMethod]
    public async Task AClientThatDidNotNameTheRoomsFeatureIsNeverSentARoomFrameItCouldNotRead()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var olderBob = await RawConnection.LogInAsync(server, new LoginRequest("bob", "bob-pass")); // no features: a client from before rooms
        await RoomSetup.JoinAsync("#secret", alice);

        alice.Type("invite #secret bob");
        await alice.ExpectAsync("You invited bob to #secret.");
        alice.Type("message bob are you there?");
        var next = await olderBob.ReadFrameAsync();

        Assert.AreEqual(FrameType.IncomingMessage, next?.Type, "the invitation notice was not sent to a client that cannot read it");
    }
}
