using System.IO.Pipelines;
using System.Net.Sockets;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Bench;

/// <summary>
/// Issue 12's attack, measured (docs/SECURITY.md): one logged-in client that never reads its socket while another
/// broadcasts full-length texts of '&lt;' as fast as the server takes them, with the server's default bounds. Reports
/// the server's RSS before, at its peak, and after the slow client was cut; plaintext, loopback, bounded in count.
/// </summary>
public static class SlowConsumerProbe
{
    private const int Broadcasts = 20_000;

    public static async Task<Dictionary<string, object>> RunAsync(string serverDll)
    {
        using var server = await ServerProcess.StartAsync(serverDll, users: 2, tls: false, defaultBounds: true);
        using var slow = await LogInAsync(server.Port, 0, receiveBuffer: 4096);
        using var sender = await LogInAsync(server.Port, 1, receiveBuffer: null);
        var before = server.RssKiB();
        var text = new string('<', ProtocolLimits.MaxTextLength);
        var stream = new NetworkStream(sender, ownsSocket: false);
        var reader = PipeReader.Create(stream);
        var answered = 0;
        var peak = before;
        var draining = Task.Run(async () =>
        {
            while (answered < Broadcasts)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, result.IsCompleted, out var frame) == FrameDecodeStatus.Complete)
                {
                    answered += frame.RequestId != 0 ? 1 : 0;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        });
        for (var i = 1; i <= Broadcasts; i++)
        {
            await stream.WriteAsync(FrameEncoder.ToArray(FrameType.Broadcast, (uint)i, new BroadcastRequest(text), ProtocolJsonContext.Default.BroadcastRequest));
            if (i % 500 == 0)
            {
                peak = Math.Max(peak, server.RssKiB());
            }
        }
        await draining.WaitAsync(TimeSpan.FromSeconds(60));
        peak = Math.Max(peak, server.RssKiB());
        var slowCut = slow.Poll(0, SelectMode.SelectRead); // readable: data or the server's close
        slow.Dispose();
        // Let the server settle (detach, store) and give memory back (its trimmer runs at most every 20 s), then read
        // RSS again. BENCH_SLOW_HOLD=seconds keeps the server up longer, to attach dotnet-gcdump to it.
        var hold = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SLOW_HOLD"), out var seconds) ? seconds : 25;
        await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(hold, 1, 600)));
        return new Dictionary<string, object>
        {
            ["workload"] = "slow-consumer", ["broadcasts"] = Broadcasts, ["textBytes"] = text.Length,
            ["rssBeforeKiB"] = before, ["rssPeakKiB"] = peak, ["rssAfterCutKiB"] = server.RssKiB(), ["slowSocketReadable"] = slowCut,
        };
    }

    private static async Task<Socket> LogInAsync(int port, int index, int? receiveBuffer)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is { } bytes)
        {
            socket.ReceiveBufferSize = bytes;
        }
        await socket.ConnectAsync("127.0.0.1", port);
        var login = FrameEncoder.ToArray(FrameType.Login, 0xFFFF_FFFF,
            new LoginRequest(BenchConnection.UserName(index), BenchConnection.Password(index)), ProtocolJsonContext.Default.LoginRequest);
        await socket.SendAsync(login);
        // The whole LoginAccepted frame (the header's bytes 12-15 are the payload length, big-endian).
        var header = new byte[FrameHeader.Size];
        await ReceiveExactlyAsync(socket, header);
        await ReceiveExactlyAsync(socket, new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12))]);
        return socket;
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            read += n > 0 ? n : throw new IOException("closed during login");
        }
    }
}
