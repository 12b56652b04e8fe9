using Messenger.Client.Connection;
using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class TransportSecurityTests
{
    [TestMethod]
    public async Task FirstConnectionPinsTheServerKeyAndSaysSo()
    {
        await using var server = await TestServer.StartAsync();
        var state = Path.Combine(server.Root, "pinning-client");
        await using var client = TestClient.Start(server, o => o with { StateDirectory = state });
        var notice = await client.ExpectAsync("First connection to 127.0.0.1:");
        StringAssert.Contains(notice, server.SpkiFingerprint);
        Assert.AreEqual(server.SpkiFingerprint, new KnownServers(state).Lookup("127.0.0.1", server.Port));
    }

    [TestMethod]
    public async Task PinnedClientRefusesTheSameServerWithANewKeyUntilTheOldKeyIsForgotten()
    {
        await using var server = await TestServer.StartAsync();
        var state = Path.Combine(server.Root, "pinning-client");
        await using (var first = TestClient.Start(server, o => o with { StateDirectory = state }))
        {
            first.Type("alice");
            first.Type("alice-pass");
            await first.ExpectAsync("Welcome");
        }
        var oldKey = server.SpkiFingerprint!;
        await server.RestartWithNewKeyAsync();

        await using var refused = TestClient.Start(server, o => o with { StateDirectory = state });
        var warning = await refused.ExpectAsync("presented a different key than the one pinned");
        StringAssert.Contains(warning, oldKey);
        StringAssert.Contains(warning, server.SpkiFingerprint);
        StringAssert.Contains(warning, "--forget");
        Assert.AreEqual(1, await refused.ExitCodeAsync());

        Assert.IsTrue(new ServerTrust(state, "127.0.0.1", server.Port, null).Forget());
        await using var again = TestClient.Start(server, o => o with { StateDirectory = state });
        await again.ExpectAsync("First connection to");
        again.Type("alice");
        again.Type("alice-pass");
        await again.ExpectAsync("Welcome");
    }

    [TestMethod]
    public async Task TrustWithTheWrongFingerprintRefusesAndWithTheRightOneConnects()
    {
        await using var server = await TestServer.StartAsync();
        var wrong = Fingerprints.Format(new byte[32]);
        await using var refused = TestClient.Start(server, o => o with { TrustFingerprint = wrong });
        await refused.ExpectAsync("does not have the key given with --trust");
        Assert.AreEqual(1, await refused.ExitCodeAsync());

        await using var trusting = TestClient.Start(server, o => o with { TrustFingerprint = server.SpkiFingerprint!.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant() });
        trusting.Type("bob");
        trusting.Type("bob-pass");
        await trusting.ExpectAsync("Welcome to MessengerSuite, bob!");
        Assert.IsFalse(trusting.Ui.Lines.Any(l => l.StartsWith("First connection", StringComparison.Ordinal)), "--trust pins silently");
    }

    [TestMethod]
    public async Task PlaintextClientMeetingATlsServerGetsAClearErrorAtOnce()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = TestClient.Start(server, o => o with { Plaintext = true });
        client.Type("alice");
        client.Type("alice-pass");
        await client.ExpectAsync("This server requires TLS");
        Assert.AreEqual(1, await client.ExitCodeAsync());
    }

    [TestMethod]
    public async Task TlsClientMeetingAPlaintextServerGetsAClearErrorAtOnce()
    {
        await using var server = await TestServer.StartAsync(o => o with { Plaintext = true });
        await using var client = TestClient.Start(server, o => o with { Plaintext = false });
        var error = await client.ExpectAsync("TLS handshake with 127.0.0.1");
        StringAssert.Contains(error, "both sides must opt in to plaintext");
        Assert.AreEqual(1, await client.ExitCodeAsync());
    }

    [TestMethod]
    public async Task PlaintextWorksWhenBothSidesOptIn()
    {
        await using var server = await TestServer.StartAsync(o => o with { Plaintext = true });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("message bob in the clear");
        await bob.ExpectAsync("alice: in the clear");
    }

    [TestMethod]
    public async Task HashedAndPlaintextCredentialsBothLogIn()
    {
        var hashed = $"frank {PasswordHasher.Hash("frank's secret", iterations: 1000)}";
        await using var server = await TestServer.StartAsync(null, hashed, "bad line with three tokens");
        await using var frank = TestClient.Start(server);
        frank.Type("frank");
        frank.Type("frank's secret");
        await frank.ExpectAsync("Welcome to MessengerSuite, frank!");
        await using var alice = await TestClient.LoginAsync(server, "alice");

        // The malformed line was skipped, not taken as a user.
        await using var bad = TestClient.Start(server);
        bad.Type("bad");
        bad.Type("line");
        await bad.ExpectAsync("Unknown user name 'bad'");
    }

    [TestMethod]
    public async Task AConnectionThatDoesNotLogInInTimeIsClosed()
    {
        await using var server = await TestServer.StartAsync(o => o with { LoginTimeout = TimeSpan.FromSeconds(60) });
        await using var raw = await RawConnection.ConnectAsync(server.Port);
        await raw.SendAsync(FrameType.Login, 1, new LoginRequest("alice", "wrong"), ProtocolJsonContext.Default.LoginRequest);
        await raw.ReadResponseAsync(1); // an attempt restarts the clock
        server.Clock.Advance(TimeSpan.FromSeconds(59));
        await raw.SendAsync(FrameType.Login, 2, new LoginRequest("alice", "wrong again"), ProtocolJsonContext.Default.LoginRequest);
        await raw.ReadResponseAsync(2);
        server.Clock.Advance(TimeSpan.FromSeconds(60));
        var notice = (await raw.ReadFrameAsync())!.AsResponse()!;
        StringAssert.Contains(notice.Message, "Login timed out");
        Assert.IsNull(await raw.ReadFrameAsync());
    }

    [TestMethod]
    public async Task LoginAttemptsAreLimitedPerConnectionAndPerAddress()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxLoginAttemptsPerConnection = 2, LoginAttemptsPerAddressPerMinute = 3 });
        await using (var raw = await RawConnection.ConnectAsync(server.Port))
        {
            for (uint id = 1; id <= 2; id++)
            {
                await raw.SendAsync(FrameType.Login, id, new LoginRequest("nobody", "x"), ProtocolJsonContext.Default.LoginRequest);
                Assert.AreEqual(Reasons.UnknownUser, (await raw.ReadResponseAsync(id)).AsResponse()!.Reason);
            }
            await raw.SendAsync(FrameType.Login, 3, new LoginRequest("nobody", "x"), ProtocolJsonContext.Default.LoginRequest);
            Assert.AreEqual(Reasons.RateLimited, (await raw.ReadResponseAsync(3)).AsResponse()!.Reason);
            Assert.IsNull(await raw.ReadFrameAsync(), "the connection is closed after too many attempts");
        }
        await using (var second = await RawConnection.ConnectAsync(server.Port))
        {
            await second.SendAsync(FrameType.Login, 1, new LoginRequest("nobody", "x"), ProtocolJsonContext.Default.LoginRequest);
            Assert.AreEqual(Reasons.UnknownUser, (await second.ReadResponseAsync(1)).AsResponse()!.Reason, "third attempt from this address");
            await second.SendAsync(FrameType.Login, 2, new LoginRequest("alice", "alice-pass"), ProtocolJsonContext.Default.LoginRequest);
            Assert.AreEqual(Reasons.RateLimited, (await second.ReadResponseAsync(2)).AsResponse()!.Reason, "fourth attempt from this address within a minute");
        }
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        await using var alice = await TestClient.LoginAsync(server, "alice");
    }
}
