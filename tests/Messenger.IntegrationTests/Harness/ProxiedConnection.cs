using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// One client's connection through a <see cref="FaultProxy"/>: two sockets and, per direction, a reader that takes
/// chunks off one socket and a writer that passes them on to the other as that direction's <see cref="PathShape"/>
/// says (after its latency, at its rate, not while stalled). A stalled direction stops reading too, so TCP's flow
/// control reaches the sender, as a reader that stopped would. Real time is used for latency and rate: the proxy
/// shapes real sockets (the tests themselves never sleep; they wait on what arrives).
/// </summary>
internal sealed class ProxiedConnection : IDisposable
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>Chunks read and not yet passed on, per direction: bounded, so a slow writer holds its reader back.</summary>
    private const int ChunksInFlight = 16;

    private readonly Socket client;
    private readonly Socket server;
    private readonly CancellationTokenSource ended;
    private int reset;

    public ProxiedConnection(Socket client, Socket server, CancellationToken stopping)
    {
        this.client = client;
        this.server = server;
        ended = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    /// <summary>When set, bytes are read and dropped in both directions; TCP stays up on both sides.</summary>
    public bool Blackholed { get; set; }

    /// <summary>Runs both directions; when either ends or fails, both sockets are reset, as a broken path leaves them.</summary>
    public async Task RunAsync(PathShape upstream, PathShape downstream)
    {
        await Task.WhenAll(PumpAsync(client, server, upstream), PumpAsync(server, client, downstream));
    }

    /// <summary>Resets both sockets now (RST, no goodbye on either side) and stops both directions.</summary>
    public void Reset()
    {
        if (Interlocked.Exchange(ref reset, 1) == 1)
        {
            return;
        }
        ended.Cancel();
        foreach (var socket in new[] { client, server })
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0); // Close with RST, not FIN.
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already gone.
            }
            socket.Dispose();
        }
    }

    public void Dispose()
    {
        Reset();
        ended.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to, PathShape shape)
    {
        var chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(ChunksInFlight) { SingleReader = true, SingleWriter = true });
        // The end of the stream (FIN) lets the writer pass on what was read before it; a failure on either side ends
        // both at once; the writer's end (drained or failed) resets the connection.
        await Task.WhenAll(EndOnFailureAsync(ReadAsync(from, shape, chunks.Writer), resetWhenDone: false),
            EndOnFailureAsync(WriteAsync(to, shape, chunks.Reader), resetWhenDone: true));
        while (chunks.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Bytes);
        }
    }

    private async Task EndOnFailureAsync(Task work, bool resetWhenDone)
    {
        try
        {
            await work;
            if (resetWhenDone)
            {
                Reset();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            Reset(); // Cut, or the other side went away.
        }
    }

    private async Task ReadAsync(Socket from, PathShape shape, ChannelWriter<Chunk> chunks)
    {
        try
        {
            while (true)
            {
                await shape.WhenFlowingAsync(ended.Token);
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ended.Token);
                if (read == 0 || Blackholed)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    if (read == 0)
                    {
                        return;
                    }
                    continue;
                }
                await chunks.WriteAsync(new Chunk(buffer, read, TimeProvider.System.GetTimestamp() + Ticks(shape.Latency)), ended.Token);
            }
        }
        finally
        {
            chunks.TryComplete();
        }
    }

    private async Task WriteAsync(Socket to, PathShape shape, ChannelReader<Chunk> chunks)
    {
        var nextFree = 0L; // when the rate limit lets the next byte go
        await foreach (var chunk in chunks.ReadAllAsync(ended.Token))
        {
            try
            {
                await WaitUntilAsync(chunk.Due);
                await shape.WhenFlowingAsync(ended.Token);
                for (var sent = 0; sent < chunk.Length;)
                {
                    var rate = shape.BytesPerSecond;
                    // At most 1/20 s worth at a time, so a limited rate comes out smooth, not in bursts of a chunk.
                    var piece = rate <= 0 ? chunk.Length - sent : (int)Math.Clamp(rate / 20, 1, chunk.Length - sent);
                    await WaitUntilAsync(nextFree);
                    await to.SendAsync(chunk.Bytes.AsMemory(sent, piece), SocketFlags.None, ended.Token);
                    sent += piece;
                    shape.CountForwarded(piece);
                    nextFree = rate <= 0 ? 0 : Math.Max(nextFree, TimeProvider.System.GetTimestamp()) + piece * TimeProvider.System.TimestampFrequency / rate;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk.Bytes);
            }
        }
    }

    /// <summary>
    /// Waits until the precise clock reaches <paramref name="timestamp"/>. Timers run on a coarse millisecond tick
    /// (on Linux a few ms), so one delay can end a little early: a 50 ms path then held a round trip for under 100 ms
    /// and failed a lower-bound test once; the loop waits out whatever is left.
    /// </summary>
    private async Task WaitUntilAsync(long timestamp)
    {
        long wait;
        while ((wait = timestamp - TimeProvider.System.GetTimestamp()) > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)wait / TimeProvider.System.TimestampFrequency), TimeProvider.System, ended.Token);
        }
    }

    private static long Ticks(TimeSpan latency) => (long)(latency.TotalSeconds * TimeProvider.System.TimestampFrequency);

    private readonly record struct Chunk(byte[] Bytes, int Length, long Due);
}
