using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;

namespace Messenger.IntegrationTests.Issues;

/// <summary>
/// Issue 12, holes 4-6: a user could point other users' clients at any address, delist any swarm owner, and lock a
/// whole address out of logging in by guessing one user's password.
/// </summary>
[TestClass]
public sealed class Issue12AbuseTests
{
    [TestMethod]
    public async Task AnAdvertisedPeerHostIsNotHandedToOtherUsersByDefault()
    {
        await using var server = await TestServer.StartAsync();
        using var key = CertificateFactory.CreateSelfSigned("x");
        var fingerprint = Fingerprints.SpkiSha256(key);
        await using var mallory = await RawConnection.ConnectAsync(server.Port);
        await mallory.SendAsync(FrameType.Login, 1, new LoginRequest("bob", "bob-pass", PeerPort: 22, PeerFingerprint: fingerprint, PeerHost: "0.0.0.0"),
            ProtocolJsonContext.Default.LoginRequest);
        var welcome = (await mallory.ReadResponseAsync(1)).Read(ProtocolJsonContext.Default.LoginAccepted).Welcome;
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass", PeerPort: 5000, PeerFingerprint: fingerprint));

        await alice.SendAsync(FrameType.StartPrivate, 2, new StartPrivateRequest("bob"), ProtocolJsonContext.Default.StartPrivateRequest);
        var grant = (await alice.ReadResponseAsync(2)).Read(ProtocolJsonContext.Default.PrivateGrant);

        Assert.AreEqual("127.0.0.1", grant.Host, "peers get the address bob's connection comes from");
        StringAssert.Contains(welcome, "'0.0.0.0' is not used", "bob is told why");
    }

    [TestMethod]
    [DataRow("0.0.0.0", false, DisplayName = "wildcard")]
    [DataRow("255.255.255.255", false, DisplayName = "broadcast")]
    [DataRow("224.0.0.1", false, DisplayName = "multicast")]
    [DataRow("ff02::1", false, DisplayName = "IPv6 multicast")]
    [DataRow("localhost", false, DisplayName = "a name")]
    [DataRow("127.0.0.2", true, DisplayName = "loopback, from a loopback connection")]
    [DataRow("198.51.100.7", true, DisplayName = "a unicast address")]
    public async Task WithAdvertisingAllowedOnlyAUnicastAddressIsHandedOn(string advertised, bool used)
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowAdvertisedPeerHost = true });
        using var key = CertificateFactory.CreateSelfSigned("x");
        var fingerprint = Fingerprints.SpkiSha256(key);
        await using var bob = await RawConnection.LogInAsync(server, new LoginRequest("bob", "bob-pass", PeerPort: 6000, PeerFingerprint: fingerprint, PeerHost: advertised));
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass", PeerPort: 5000, PeerFingerprint: fingerprint));

        await alice.SendAsync(FrameType.StartPrivate, 2, new StartPrivateRequest("bob"), ProtocolJsonContext.Default.StartPrivateRequest);
        var grant = (await alice.ReadResponseAsync(2)).Read(ProtocolJsonContext.Default.PrivateGrant);

        Assert.AreEqual(used ? advertised : "127.0.0.1", grant.Host);
    }

    [TestMethod]
    public async Task ABadChunkReportFromSomeoneNeverServedByThatOwnerIsRefused()
    {
        await using var server = await TestServer.StartAsync();
        await using var mallory = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass"));

        await mallory.SendAsync(FrameType.ReportBadChunk, 2, new ReportBadChunk(new string('a', 64), "bob", 0), ProtocolJsonContext.Default.ReportBadChunk);
        var answer = (await mallory.ReadResponseAsync(2)).AsResponse()!;

        Assert.AreEqual(StatusCode.Forbidden, answer.Status);
        Assert.AreEqual(Reasons.NotGranted, answer.Reason);
    }

    [TestMethod]
    public async Task OneGuesserDoesNotKeepOtherUsersAtItsAddressOut()
    {
        await using var server = await TestServer.StartAsync();
        var refusedForBob = 0;
        // 150 guesses for bob from 127.0.0.1, ten per connection (the per-connection limit).
        for (var connection = 0; connection < 15; connection++)
        {
            await using var guesser = await RawConnection.ConnectAsync(server.Port);
            for (var i = 1; i <= 10; i++)
            {
                await guesser.SendAsync(FrameType.Login, (uint)i, new LoginRequest("bob", $"guess-{connection}-{i}"), ProtocolJsonContext.Default.LoginRequest);
                var reply = (await guesser.ReadResponseAsync((uint)i)).AsResponse()!;
                refusedForBob += reply.Reason == Reasons.RateLimited ? 1 : 0;
            }
        }

        await using var alice = await RawConnection.ConnectAsync(server.Port);
        await alice.SendAsync(FrameType.Login, 1, new LoginRequest("alice", "alice-pass"), ProtocolJsonContext.Default.LoginRequest);
        var aliceReply = await alice.ReadResponseAsync(1);

        Assert.AreEqual(FrameType.LoginAccepted, aliceReply.Type, aliceReply.AsResponse()?.Message);
        Assert.IsGreaterThanOrEqualTo(130, refusedForBob, "the guesser was slowed on bob's name after a few failures");
    }

    [TestMethod]
    public async Task ThePerAddressCeilingStillAppliesToEveryAttempt()
    {
        await using var server = await TestServer.StartAsync(o => o with { LoginAttemptsPerAddressPerMinute = 5 });
        var users = new[] { "alice", "bob", "carol", "dave", "erin" };
        foreach (var user in users)
        {
            await using var each = await RawConnection.LogInAsync(server, new LoginRequest(user, TestDefaults.Accounts[user]));
        }
        await using var sixth = await RawConnection.ConnectAsync(server.Port);
        await sixth.SendAsync(FrameType.Login, 1, new LoginRequest("alice", "alice-pass"), ProtocolJsonContext.Default.LoginRequest);

        Assert.AreEqual(Reasons.RateLimited, (await sixth.ReadResponseAsync(1)).AsResponse()!.Reason);
    }
}
