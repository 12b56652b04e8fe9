using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.IntegrationTests;

/// <summary>
/// An idle connection holds no receive buffer (the read loop waits with a zero-byte read, and under TLS OpenSSL's
/// record buffers are released): what a client sends after going idle must still be read whole, however it arrives.
/// </summary>
[TestClass]
public sealed class IdleConnectionTests
{
    [TestMethod]
    [DataRow(true, DisplayName = "plaintext")]
    [DataRow(false, DisplayName = "TLS")]
    public async Task AFrameSentInPiecesAfterTheConnectionWentIdleIsAnswered(bool plaintext)
    {
        await using var server = await TestServer.StartAsync(o => o with { Plaintext = plaintext });
        var (alice, bob) = await AliceAndBobAsync(server);
        await using var aliceLink = alice;
        await using var bobLink = bob;

        var frame = FrameEncoder.ToArray(FrameType.WhoElse, 5, new WhoElseRequest(), ProtocolJsonContext.Default.WhoElseRequest);
        await alice.SendBytesAsync(frame[..3]); // Part of the header: the server has nothing to decode yet.
        await alice.SendBytesAsync(frame[3..FrameHeader.Size]);
        await alice.SendBytesAsync(frame[FrameHeader.Size..]);

        var reply = await alice.ReadResponseAsync(5);
        Assert.AreEqual(FrameType.UserList, reply.Type, reply.AsResponse()?.Message);
        CollectionAssert.AreEqual(new[] { "bob" }, reply.Read(ProtocolJsonContext.Default.UserList).Users);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "plaintext")]
    [DataRow(false, DisplayName = "TLS")]
    public async Task AFrameLargerThanOneTlsRecordIsReadWholeAfterIdleAndTheConnectionStaysUsable(bool plaintext)
    {
        await using var server = await TestServer.StartAsync(o => o with { Plaintext = plaintext });
        var (alice, bob) = await AliceAndBobAsync(server);
        await using var aliceLink = alice;
        await using var bobLink = bob;

        // ~40 KB: three TLS records, more than the 16 KiB a released buffer is re-made with. Too long a text: refused.
        var tooLong = new string('x', 40_000);
        await alice.SendAsync(FrameType.SendMessage, 6, new SendMessageRequest("bob", tooLong, 1), ProtocolJsonContext.Default.SendMessageRequest);
        var refusal = (await alice.ReadResponseAsync(6)).AsResponse()!;
        Assert.AreEqual(Reasons.TextTooLong, refusal.Reason, refusal.Message);

        await alice.SendAsync(FrameType.WhoElse, 7, new WhoElseRequest(), ProtocolJsonContext.Default.WhoElseRequest);
        CollectionAssert.AreEqual(new[] { "bob" }, (await alice.ReadResponseAsync(7)).Read(ProtocolJsonContext.Default.UserList).Users);
    }

    /// <summary>Two raw connections, both logged in: alice's whoelse then answers "bob".</summary>
    private static async Task<(RawConnection Alice, RawConnection Bob)> AliceAndBobAsync(TestServer server)
    {
        var bob = await RawConnection.LogInAsync(server, new LoginRequest("bob", "bob-pass"));
        return (await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass")), bob);
    }
}
