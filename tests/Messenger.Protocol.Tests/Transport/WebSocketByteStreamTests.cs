using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;
using Messenger.Protocol.Transport;

namespace Messenger.Protocol.Tests.Transport;

/// <summary>
/// /ws carries a byte stream (docs/PROTOCOL.md): a WebSocket message may hold several frames or part of one, and the
/// reader sees the same frames as over TCP; a write goes out as one binary message.
/// </summary>
[TestClass]
public sealed class WebSocketByteStreamTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task FramesPackedIntoOneMessageOrSplitAcrossMessagesAreReadAsTheSameFrames()
    {
        var (server, client) = await ConnectedPairAsync();
        using var _ = server;
        using var __ = client;
        var ids = new List<uint>();
        var reader = PipeReader.Create(new WebSocketByteStream(server));
        var reading = FrameReader.ReadAllAsync(reader, () => 1 << 20, frame =>
        {
            ids.Add(frame.RequestId);
            return ValueTask.FromResult(true);
        });
        var third = Frames.Raw(FrameType.Ping, 3, new byte[300]);

        await client.SendAsync(Frames.Concat(Frames.Raw(FrameType.Ping, 1, [1, 2]), Frames.Raw(FrameType.Ping, 2, [])).AsMemory(), WebSocketMessageType.Binary, true, default);
        await client.SendAsync(third.AsMemory(0, 11), WebSocketMessageType.Binary, true, default);
        await client.SendAsync(third.AsMemory(11), WebSocketMessageType.Binary, true, default);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, default);

        Assert.AreEqual(FrameReadEnd.EndOfStream, await reading.WaitAsync(Timeout));
        CollectionAssert.AreEqual(new uint[] { 1, 2, 3 }, ids);
    }

    [TestMethod]
    public async Task OneWriteOfSeveralFramesIsOneBinaryMessage()
    {
        var (server, client) = await ConnectedPairAsync();
        using var _ = server;
        using var __ = client;
        var frames = Frames.Concat(Frames.Raw(FrameType.Ping, 1, [1]), Frames.Raw(FrameType.Ping, 2, new byte[100]));

        await new WebSocketByteStream(server).WriteAsync(frames.AsMemory());
        var received = new byte[frames.Length + 10];
        var result = await client.ReceiveAsync(received.AsMemory(), default).AsTask().WaitAsync(Timeout);

        Assert.AreEqual(WebSocketMessageType.Binary, result.MessageType);
        Assert.IsTrue(result.EndOfMessage);
        CollectionAssert.AreEqual(frames, received[..result.Count]);
    }

    /// <summary>A server and a client WebSocket over a loopback TCP connection (no HTTP upgrade: the framing is what is tested).</summary>
    private static async Task<(WebSocket Server, WebSocket Client)> ConnectedPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientSocket = new TcpClient();
        await clientSocket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var serverSocket = await listener.AcceptTcpClientAsync().WaitAsync(Timeout);
        var server = WebSocket.CreateFromStream(serverSocket.GetStream(), new WebSocketCreationOptions { IsServer = true });
        var client = WebSocket.CreateFromStream(clientSocket.GetStream(), new WebSocketCreationOptions { IsServer = false });
        return (server, client);
    }
}
