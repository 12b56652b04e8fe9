using System.Net.Security;
using System.Net.Sockets;
using Messenger.Security;
using Messenger.Server.Connections;

namespace Messenger.Server.Tests.Connections;

[TestClass]
public sealed class TlsIdleBuffersTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task AnAuthenticatedServerStreamReleasesItsBuffersAndStillCarriesRecordsLargerThanOneBufferBothWays()
    {
        using var certificate = CertificateFactory.CreateSelfSigned("tls-idle-test");
        using var pair = await LoopbackPair.ConnectAsync();
#pragma warning disable CA5359 // The test's own throwaway certificate.
        await using var client = new SslStream(new NetworkStream(pair.Client), false, (_, _, _, _) => true);
#pragma warning restore CA5359
        await using var server = new SslStream(new NetworkStream(pair.Server), false);
        await Task.WhenAll(
            client.AuthenticateAsClientAsync("tls-idle-test"),
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate })).WaitAsync(Timeout);

        Assert.IsTrue(TlsIdleBuffers.TryRelease(server), "this runtime's SslStream must let OpenSSL release idle buffers");

        var payload = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray(); // three records
        await client.WriteAsync(payload);
        CollectionAssert.AreEqual(payload, await ReadExactlyAsync(server, payload.Length));
        await server.WriteAsync(payload);
        CollectionAssert.AreEqual(payload, await ReadExactlyAsync(client, payload.Length));
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int length)
    {
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Timeout);
        return buffer;
    }
}
