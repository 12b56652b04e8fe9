using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Messenger.Client.Connection;
using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class PrivateSessionTests
{
    [TestMethod]
    public async Task FullSessionBetweenClientsOnDifferentLoopbackAddressesNeverShowsTheServerTheText()
    {
        await using var server = await TestServer.StartAsync(o => o with { ListenAddress = "0.0.0.0" });
        await using var alice = await TestClient.LoginAsync(server, "alice", o => o with { LocalAddress = "127.0.0.2" });
        await using var bob = await TestClient.LoginAsync(server, "bob", o => o with { LocalAddress = "127.0.0.3" });
        var bobSession = server.Chat.Sessions.Find("bob")!;
        Assert.AreEqual("127.0.0.3", bobSession.Link!.RemoteAddress, "the server sees bob's own address, never a wildcard");

        alice.Type("startprivate bob");
        await alice.ExpectAsync("Private session with bob started.");
        await bob.ExpectAsync("Private session with alice started.");
        alice.Type("private bob the secret word is ζ-lantern");
        await bob.ExpectAsync("alice(private): the secret word is ζ-lantern");
        bob.Type("private alice  got it, reply-tangerine");
        await alice.ExpectAsync("bob(private):  got it, reply-tangerine");
        alice.Type("message bob and this one goes through the server");
        await bob.ExpectAsync("alice: and this one goes through the server");

        Assert.AreEqual(1L, server.Chat.Stats.MessagesRouted, "only the server message was routed");
        await server.StopAsync();
        foreach (var file in Directory.GetFiles(server.Options.DataDirectory))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var secret in new[] { "ζ-lantern", "reply-tangerine" })
            {
                Assert.AreEqual(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)), $"{secret} found in {file}");
            }
        }
        Assert.IsFalse(server.Logs.Lines.Any(l => l.Contains("lantern", StringComparison.Ordinal) || l.Contains("tangerine", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task PrivateWithoutASessionSaysToStartOneFirst()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("private bob hello");
        await alice.ExpectAsync("Private messaging to bob not enabled. Run 'startprivate bob' first.");
        alice.Type("stopprivate bob");
        await alice.ExpectAsync("There is no private session with bob.");
    }

    [TestMethod]
    public async Task StartPrivateIsRefusedForUnknownSelfOfflineAndBlockers()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("startprivate ghost");
        await alice.ExpectAsync("Invalid user: ghost.");
        alice.Type("startprivate alice");
        await alice.ExpectAsync("You cannot start a private session with yourself.");
        alice.Type("startprivate carol");
        await alice.ExpectAsync("carol is offline.");
        bob.Type("block alice");
        await bob.ExpectAsync("alice is blocked");
        alice.Type("startprivate bob");
        await alice.ExpectAsync("A private session with bob could not be started as bob has blocked you.");
        await bob.BarrierAsync();
        Assert.IsFalse(bob.Ui.Lines.Any(l => l.StartsWith("Private session", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task StartingASessionThatExistsSaysSoAndEitherSideCanStopIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("startprivate bob");
        await bob.ExpectAsync("Private session with alice started.");
        await alice.ExpectAsync("Private session with bob started.");
        alice.Type("startprivate bob");
        await alice.ExpectAsync("A private session with bob is already active.");
        bob.Type("private alice two-way without startprivate");
        await alice.ExpectAsync("bob(private): two-way without startprivate");

        bob.Type("stopprivate alice");
        await bob.ExpectAsync("Private session with alice ended.");
        await alice.ExpectAsync("Private session with bob ended (bob stopped it).");
        alice.Type("private bob still there?");
        await alice.ExpectAsync("Private messaging to bob not enabled.");

        alice.Type("startprivate bob");
        await bob.ExpectAsync("Private session with alice started.");
        alice.Type("stopprivate bob");
        await bob.ExpectAsync("Private session with alice ended (alice stopped it).");
    }

    [TestMethod]
    public async Task LogoutTimeoutAndBlockEndTheSessionAndThePeerIsTold()
    {
        await using var server = await TestServer.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(100) });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await using var dave = await TestClient.LoginAsync(server, "dave");
        foreach (var peer in new[] { "bob", "carol", "dave" })
        {
            alice.Type($"startprivate {peer}");
            await alice.ExpectAsync($"Private session with {peer} started.");
        }

        carol.Type("logout");
        await alice.ExpectAsync("Private session with carol ended (carol logged out).");

        bob.Type("block alice");
        await bob.ExpectAsync("Private session with alice ended.");
        await alice.ExpectAsync("Private session with bob ended.");
        alice.Type("startprivate bob");
        await alice.ExpectAsync("bob has blocked you");

        // dave stays idle while alice keeps talking privately (which counts as activity for her).
        server.Clock.Advance(TimeSpan.FromSeconds(60));
        alice.Type("private dave are you there");
        await dave.ExpectAsync("alice(private): are you there");
        // The text went peer to peer; the private command ends once the server noted the activity. `help` is local
        // (it touches nothing on the server) and runs after that command, so its output means the activity counted.
        alice.Type("help");
        await alice.ExpectAsync("Shared with others:");
        server.Clock.Advance(TimeSpan.FromSeconds(41));
        await dave.ExpectAsync("logged out after 100 seconds");
        await alice.ExpectAsync("Private session with dave ended (dave timed out).");
        Assert.IsFalse(alice.Run.IsCompleted, "private activity kept alice logged in");
    }

    [TestMethod]
    public async Task AnUnreachablePeerGivesAClearErrorWithinSeconds()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        int closedPort;
        using (var probe = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var someKey = CertificateFactory.CreateSelfSigned("nobody");
        await using var bob = await RawConnection.LogInAsync(server,
            new LoginRequest("bob", "bob-pass", PeerPort: closedPort, PeerFingerprint: Fingerprints.SpkiSha256(someKey)));
        alice.Type("startprivate bob");
        await alice.ExpectAsync("Could not reach bob for a private session");
    }

    [TestMethod]
    public async Task ForgedExpiredMisaddressedAndWronglyKeyedTicketsAreAllRefused()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await TestClient.LoginAsync(server, "bob");
        var bobSession = server.Chat.Sessions.Find("bob")!;
        using var aliceKey = CertificateFactory.ImportPkcs12(CertificateFactory.ExportPkcs12(CertificateFactory.CreateSelfSigned("alice")));
        using var otherKey = CertificateFactory.ImportPkcs12(CertificateFactory.ExportPkcs12(CertificateFactory.CreateSelfSigned("mallory")));
        var aliceFp = Fingerprints.SpkiSha256(aliceKey);
        var bobFp = bobSession.PeerFingerprint!;
        var serverSigner = new TicketSigner(server.Certificate, server.Clock);

        // A control: the right ticket and the right key are accepted.
        Assert.AreEqual(StatusCode.Ok, await HelloAsync(bobSession.PeerPort, aliceKey, "alice",
            serverSigner.Issue(TicketPurposes.Private, "alice", aliceFp, "bob", bobFp)));
        await bob.ExpectAsync("Private session with alice started.");

        // Validly signed, but by another key (here, one that even embeds its own certificate in the ticket).
        Assert.AreEqual(StatusCode.Forbidden, await HelloAsync(bobSession.PeerPort, aliceKey, "alice",
            new TicketSigner(otherKey).Issue(TicketPurposes.Private, "alice", aliceFp, "bob", bobFp)));
        // Expired: issued by the server's key long ago.
        var past = new FakeTimeProvider(server.Clock.GetUtcNow() - TimeSpan.FromHours(1));
        Assert.AreEqual(StatusCode.Forbidden, await HelloAsync(bobSession.PeerPort, aliceKey, "alice",
            new TicketSigner(server.Certificate, past).Issue(TicketPurposes.Private, "alice", aliceFp, "bob", bobFp)));
        // For another pair of users.
        Assert.AreEqual(StatusCode.Forbidden, await HelloAsync(bobSession.PeerPort, aliceKey, "alice",
            serverSigner.Issue(TicketPurposes.Private, "alice", aliceFp, "carol", bobFp)));
        // Right ticket, but the connection presents another certificate than the one the ticket names.
        Assert.AreEqual(StatusCode.Forbidden, await HelloAsync(bobSession.PeerPort, otherKey, "alice",
            serverSigner.Issue(TicketPurposes.Private, "alice", aliceFp, "bob", bobFp)));
        // A hello that claims another name than the ticket's.
        Assert.AreEqual(StatusCode.Forbidden, await HelloAsync(bobSession.PeerPort, aliceKey, "carol",
            serverSigner.Issue(TicketPurposes.Private, "alice", aliceFp, "bob", bobFp)));
        // Garbage.
        Assert.AreEqual(StatusCode.Forbidden, await HelloAsync(bobSession.PeerPort, aliceKey, "alice", "bm90IGEgdGlja2V0"));

        await bob.BarrierAsync();
        Assert.AreEqual(1, bob.Ui.Lines.Count(l => l.StartsWith("Private session with alice started", StringComparison.Ordinal)), "only the control session started");
    }

    /// <summary>Plays the initiator by hand: mutual TLS with <paramref name="key"/>, a PeerHello, and the peer's verdict.</summary>
    private static async Task<StatusCode> HelloAsync(int port, System.Security.Cryptography.X509Certificates.X509Certificate2 key, string claimedUser, string ticket)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port);
#pragma warning disable CA5359 // A hostile test peer: it does not care who bob is.
        await using var tls = new SslStream(new NetworkStream(socket), false, (_, _, _, _) => true);
#pragma warning restore CA5359
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "bob", ClientCertificates = [key] });
        await tls.WriteAsync(FrameEncoder.ToArray(FrameType.PeerHello, 1, new PeerHello(claimedUser, ticket, TicketPurposes.Private), ProtocolJsonContext.Default.PeerHello));
        var reader = System.IO.Pipelines.PipeReader.Create(tls);
        var answer = await Protocol.Transport.FrameReader.ReadOneAsync(reader, ProtocolLimits.MaxControlPayloadLength).WaitAsync(TestDefaults.EventTimeout);
        return answer?.AsResponse()?.Status ?? throw new AssertFailedException("no answer from the peer");
    }
}
