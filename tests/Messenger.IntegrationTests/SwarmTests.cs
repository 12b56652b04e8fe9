using System.Security.Cryptography;
using Messenger.Client.Hosting;
using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class SwarmTests
{
    [TestMethod]
    public async Task ThreeHoldersServeTwoDownloadersAndBothFilesMatchByteForByte()
    {
        await using var server = await TestServer.StartAsync();
        var content = RandomBytes(3 * 1024 * 1024 + 12_345); // 49 chunks of 64 KiB, the last one short
        var holders = new List<TestClient>();
        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            var holder = await LoginWithFoldersAsync(server, user);
            await File.WriteAllBytesAsync(Path.Combine(ShareOf(server, user), "movie.bin"), content);
            holders.Add(holder);
        }
        await using var dave = await LoginWithFoldersAsync(server, "dave");
        await using var erin = await LoginWithFoldersAsync(server, "erin");

        dave.Type("p2pDownload movie.bin");
        erin.Type("p2pDownload movie.bin");
        await dave.ExpectAsync("Downloaded movie.bin");
        await erin.ExpectAsync("Downloaded movie.bin");
        CollectionAssert.AreEqual(SHA256.HashData(content), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(DownloadsOf(server, "dave"), "movie.bin"))));
        CollectionAssert.AreEqual(SHA256.HashData(content), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(DownloadsOf(server, "erin"), "movie.bin"))));
        Assert.AreEqual(0L, server.Chat.Stats.MessagesRouted, "no file data (or anything else) was routed through the server");

        // The original holders leave: dave now serves the file he downloaded, to a newcomer.
        foreach (var holder in holders)
        {
            await holder.LogoutAsync();
            await holder.DisposeAsync();
        }
        await erin.LogoutAsync();
        await using var newcomer = await LoginWithFoldersAsync(server, "erin", suffix: "-again");
        newcomer.Type("p2pDownload movie.bin");
        var done = await newcomer.ExpectAsync("Downloaded movie.bin");
        StringAssert.Contains(done, "from 1 peer(s)");
        CollectionAssert.AreEqual(SHA256.HashData(content),
            SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(DownloadsOf(server, "erin", "-again"), "movie.bin"))));
    }

    [TestMethod]
    public async Task AHolderServingCorruptChunksIsReportedDroppedAndTheOthersFinishTheJob()
    {
        await using var server = await TestServer.StartAsync();
        var content = RandomBytes(2 * 1024 * 1024);
        await using var alice = await LoginWithFoldersAsync(server, "alice");
        await using var bob = await LoginWithFoldersAsync(server, "bob");
        await File.WriteAllBytesAsync(Path.Combine(ShareOf(server, "alice"), "data.bin"), content);
        var bobFile = Path.Combine(ShareOf(server, "bob"), "data.bin");
        await File.WriteAllBytesAsync(bobFile, content);

        // carol's first download makes bob hash and cache his manifest...
        await using var carol = await LoginWithFoldersAsync(server, "carol");
        carol.Type("p2pDownload data.bin");
        await carol.ExpectAsync("Downloaded data.bin");

        // ...then bob's disk silently corrupts the file (same size, same modification time): his cached manifest lies.
        var stamp = File.GetLastWriteTimeUtc(bobFile);
        var corrupted = (byte[])content.Clone();
        for (var i = 0; i < corrupted.Length; i += 4096)
        {
            corrupted[i] ^= 0xFF;
        }
        await File.WriteAllBytesAsync(bobFile, corrupted);
        File.SetLastWriteTimeUtc(bobFile, stamp);

        await using var dave = await LoginWithFoldersAsync(server, "dave");
        await carol.LogoutAsync();
        dave.Type("p2pDownload data.bin");
        await dave.ExpectAsync("bob sent a corrupt chunk");
        await dave.ExpectAsync("Downloaded data.bin");
        CollectionAssert.AreEqual(SHA256.HashData(content), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(DownloadsOf(server, "dave"), "data.bin"))));
        Assert.IsTrue(server.Logs.Lines.Any(l => l.Contains("dave reports a bad chunk", StringComparison.Ordinal) && l.Contains("from bob", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task AnInterruptedDownloadResumesFromItsVerifiedChunks()
    {
        await using var server = await TestServer.StartAsync();
        var content = RandomBytes(1024 * 1024 + 100);
        await using var alice = await LoginWithFoldersAsync(server, "alice");
        await File.WriteAllBytesAsync(Path.Combine(ShareOf(server, "alice"), "big.bin"), content);

        // A previous run of bob's client got half the chunks before it was killed.
        var manifest = await Client.Swarm.ManifestBuilder.BuildAsync(Path.Combine(ShareOf(server, "alice"), "big.bin"), "big.bin", CancellationToken.None);
        var fileId = Protocol.Contracts.FileIds.Of(manifest);
        await using (var earlier = await Client.Swarm.PartialDownload.OpenAsync(DownloadsOf(server, "bob"), "big.bin", manifest, fileId, CancellationToken.None))
        {
            for (var chunk = 0; chunk < manifest.ChunkHashes.Length; chunk += 2)
            {
                var start = chunk * manifest.ChunkSize;
                var length = (int)Math.Min(manifest.ChunkSize, content.Length - start);
                Assert.IsTrue(await earlier.WriteChunkAsync(chunk, content.AsMemory(start, length), CancellationToken.None));
            }
        }

        await using var bob = await LoginWithFoldersAsync(server, "bob");
        bob.Type("p2pDownload big.bin");
        await bob.ExpectAsync($"resuming with {(manifest.ChunkHashes.Length + 1) / 2} chunks already here");
        await bob.ExpectAsync("Downloaded big.bin");
        CollectionAssert.AreEqual(SHA256.HashData(content), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(DownloadsOf(server, "bob"), "big.bin"))));
    }

    [TestMethod]
    public async Task NamesThatLeaveTheShareFolderAreRefusedOnBothSides()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await LoginWithFoldersAsync(server, "alice");
        var secret = Path.Combine(server.Root, "secret.txt");
        await File.WriteAllTextAsync(secret, "not for sharing");
        File.CreateSymbolicLink(Path.Combine(ShareOf(server, "alice"), "innocent.txt"), secret);
        await using var bob = await LoginWithFoldersAsync(server, "bob");

        bob.Type("p2pDownload ../secret.txt");
        await bob.ExpectAsync("leaves the share folder");
        bob.Type("p2pDownload /etc/passwd");
        await bob.ExpectAsync("/etc/passwd");
        bob.Type("p2pDownload innocent.txt");
        await bob.ExpectAsync("No online user shares 'innocent.txt'.");
        var downloads = DownloadsOf(server, "bob");
        Assert.IsFalse(Directory.Exists(downloads) && Directory.EnumerateFiles(downloads, "*", SearchOption.AllDirectories).Any(), "nothing was written");
    }

    [TestMethod]
    public async Task DifferentContentsUnderOneNameTakeTheVersionMostUsersHoldAndSaySo()
    {
        await using var server = await TestServer.StartAsync();
        var common = RandomBytes(70_000);
        var odd = RandomBytes(50_000);
        await using var alice = await LoginWithFoldersAsync(server, "alice");
        await using var bob = await LoginWithFoldersAsync(server, "bob");
        await using var carol = await LoginWithFoldersAsync(server, "carol");
        await File.WriteAllBytesAsync(Path.Combine(ShareOf(server, "alice"), "notes.txt"), common);
        await File.WriteAllBytesAsync(Path.Combine(ShareOf(server, "bob"), "notes.txt"), common);
        await File.WriteAllBytesAsync(Path.Combine(ShareOf(server, "carol"), "notes.txt"), odd);
        await using var dave = await LoginWithFoldersAsync(server, "dave");
        dave.Type("p2pDownload notes.txt");
        await dave.ExpectAsync("2 different files have this name; taking the one 2 user(s) hold");
        await dave.ExpectAsync("Downloaded notes.txt");
        CollectionAssert.AreEqual(common, await File.ReadAllBytesAsync(Path.Combine(DownloadsOf(server, "dave"), "notes.txt")));
    }

    [TestMethod]
    public async Task EmptyFilesMissingFilesBlockersAndExistingTargetsBehave()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await LoginWithFoldersAsync(server, "alice");
        await using var bob = await LoginWithFoldersAsync(server, "bob");
        await File.WriteAllBytesAsync(Path.Combine(ShareOf(server, "alice"), "empty.txt"), []);
        await File.WriteAllTextAsync(Path.Combine(ShareOf(server, "alice"), "private.txt"), "alice only");

        bob.Type("p2pDownload empty.txt");
        await bob.ExpectAsync("Downloaded empty.txt");
        Assert.AreEqual(0L, new FileInfo(Path.Combine(DownloadsOf(server, "bob"), "empty.txt")).Length);
        bob.Type("p2pDownload empty.txt");
        await bob.ExpectAsync("already exists");

        bob.Type("p2pDownload nothing.here");
        await bob.ExpectAsync("No online user shares 'nothing.here'.");

        alice.Type("block bob");
        await alice.ExpectAsync("bob is blocked");
        bob.Type("p2pDownload private.txt");
        await bob.ExpectAsync("No online user shares 'private.txt'.");
    }

    [TestMethod]
    public async Task AHolderKilledMidDownloadCostsOnlyTimeTheDownloadResumesFromAnotherHolder()
    {
        await using var server = await TestServer.StartAsync();
        var content = RandomBytes(40 * 65536 + 777);
        var source = Path.Combine(server.Root, "source.bin");
        await File.WriteAllBytesAsync(source, content);
        var manifest = await Client.Swarm.ManifestBuilder.BuildAsync(source, "film.bin", CancellationToken.None);
        var fileId = Protocol.Contracts.FileIds.Of(manifest);

        // bob holds the file, serves exactly three chunks, then dies (peer and server connections gone at once).
        await using var bobKey = Client.Peers.PeerIdentity.Create();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var bob = await RawConnection.LogInAsync(server, new Protocol.Contracts.LoginRequest("bob", "bob-pass",
            PeerPort: ((System.Net.IPEndPoint)listener.LocalEndpoint).Port, PeerFingerprint: await bobKey.GetFingerprintAsync()));
        var answering = Task.Run(async () =>
        {
            while (await bob.ReadFrameAsync() is { } frame)
            {
                if (frame.Type == Protocol.Framing.FrameType.HolderQuery && frame.TryRead(Protocol.Contracts.ProtocolJsonContext.Default.HolderQuery, out var query))
                {
                    await bob.SendAsync(Protocol.Framing.FrameType.HolderAnswer, 0, new Protocol.Contracts.HolderAnswer(query.QueryId, fileId, manifest),
                        Protocol.Contracts.ProtocolJsonContext.Default.HolderAnswer);
                }
            }
        });
        var serving = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var link = await new Client.Peers.PeerHandshake(bobKey, TimeProvider.System).AcceptAsync(socket, "bob", server.SpkiFingerprint, CancellationToken.None)
                ?? throw new AssertFailedException("the downloader's handshake with bob failed");
            for (var served = 0; served < 3; served++)
            {
                var request = (await Protocol.Transport.FrameReader.ReadOneAsync(link.Reader, Protocol.Framing.ProtocolLimits.MaxControlPayloadLength))!
                    .Read(Protocol.Contracts.ProtocolJsonContext.Default.ChunkRequest);
                var start = request.Chunk * manifest.ChunkSize;
                var bytes = content.AsMemory(start, Client.Swarm.ChunkSizing.LengthOf(manifest.Size, manifest.ChunkSize, request.Chunk));
                var frame = new System.Buffers.ArrayBufferWriter<byte>();
                Protocol.Framing.FrameEncoder.WriteRaw(frame, Protocol.Framing.FrameType.ChunkData, (uint)request.Chunk + 1, bytes.Span);
                await link.Stream.WriteAsync(frame.WrittenMemory);
            }
            socket.Close(0); // kill: no PrivateClose, no goodbye
            await bob.DisposeAsync();
            listener.Stop();
        });

        await using var carol = await LoginWithFoldersAsync(server, "carol");
        carol.Type("p2pDownload film.bin");
        await carol.ExpectAsync("lost bob");
        // An abortive close may drop chunks still in flight: up to 3 of bob's made it, and exactly those are kept.
        var stopped = await carol.ExpectAsync("film.bin: stopped at ");
        var kept = int.Parse(System.Text.RegularExpressions.Regex.Match(stopped, @"stopped at (\d+) of (\d+)").Groups[1].Value);
        Assert.IsTrue(kept is >= 0 and <= 3, stopped);
        StringAssert.Contains(stopped, $"of {manifest.ChunkHashes.Length} chunks");
        await serving;
        await answering;

        await using var alice = await LoginWithFoldersAsync(server, "alice");
        await File.WriteAllBytesAsync(Path.Combine(ShareOf(server, "alice"), "film.bin"), content);
        carol.Type("p2pDownload film.bin");
        await carol.ExpectAsync(kept > 0 ? $"resuming with {kept} chunks already here" : "Downloading film.bin");
        await carol.ExpectAsync("Downloaded film.bin");
        CollectionAssert.AreEqual(SHA256.HashData(content), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(DownloadsOf(server, "carol"), "film.bin"))));
    }

    [TestMethod]
    public async Task TheManifestOfAGibibyteFileFitsWhatTheServerAcceptsAfterLogin()
    {
        await using var server = await TestServer.StartAsync();
        var hashes = Enumerable.Range(0, 1024).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToArray();
        var manifest = new Protocol.Contracts.FileManifest("one-gib.bin", 1L << 30, 1 << 20, hashes);
        var fileId = Protocol.Contracts.FileIds.Of(manifest);
        await using var raw = await RawConnection.LogInAsync(server, new Protocol.Contracts.LoginRequest("alice", "alice-pass"));
        await raw.SendAsync(Protocol.Framing.FrameType.RegisterChunks, 2, new Protocol.Contracts.RegisterChunks(fileId, [0, 1], manifest),
            Protocol.Contracts.ProtocolJsonContext.Default.RegisterChunks);
        Assert.AreEqual(Protocol.Contracts.StatusCode.Ok, (await raw.ReadResponseAsync(2)).AsResponse()!.Status, "a ~70 KB manifest is accepted");
        await raw.SendAsync(Protocol.Framing.FrameType.RegisterChunks, 3, new Protocol.Contracts.RegisterChunks(fileId, [2]),
            Protocol.Contracts.ProtocolJsonContext.Default.RegisterChunks);
        Assert.AreEqual(Protocol.Contracts.StatusCode.Ok, (await raw.ReadResponseAsync(3)).AsResponse()!.Status, "later registrations need no manifest");
    }

    private static async Task<TestClient> LoginWithFoldersAsync(TestServer server, string user, string suffix = "") =>
        await TestClient.LoginAsync(server, user, o => o with
        {
            ShareDirectory = ShareOf(server, user, suffix),
            DownloadDirectory = DownloadsOf(server, user, suffix),
        });

    private static string ShareOf(TestServer server, string user, string suffix = "") => Path.Combine(server.Root, "share-" + user + suffix);

    private static string DownloadsOf(TestServer server, string user, string suffix = "") => Path.Combine(server.Root, "downloads-" + user + suffix);

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
