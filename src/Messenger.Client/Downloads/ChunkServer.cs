using System.Buffers;
using Messenger.Client.Peers;
using Messenger.Client.Swarm;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Microsoft.Win32.SafeHandles;

namespace Messenger.Client.Downloads;

/// <summary>
/// Serves chunks to one downloader over an authenticated peer link: each ChunkRequest is answered in order with a
/// ChunkData frame (raw bytes, the request's id) or a 404 Response. The chunk is read from the file into a pooled
/// buffer right behind room for the frame header, so header and bytes leave in one write (TLS then fills whole
/// records instead of sending the 20-byte header in a record of its own). The file stays open while requests for it
/// come in, instead of one open per chunk. Nothing is queued here: one request is read (at most a control frame)
/// and answered at a time, so a downloader that asks ahead waits in its own socket, not in our memory.
/// </summary>
public sealed class ChunkServer(SharedFiles shared, TimeProvider time)
{
    /// <summary>
    /// A reply the downloader does not take in this time ends the link: one that asks and never reads would otherwise
    /// hold a chunk buffer, a file and a connection here for ever. The same time a downloader gives a chunk to arrive.
    /// </summary>
    public static readonly TimeSpan WriteTimeout = SwarmDownloader.ChunkTimeout;

    public async Task ServeAsync(PeerLink link)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FrameHeader.Size + ChunkSizing.MaxChunkSize);
        string? openPath = null;
        SafeFileHandle? file = null;
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        try
        {
            while (await FrameReader.ReadOneAsync(link.Reader, ProtocolLimits.MaxControlPayloadLength) is { } frame)
            {
                if (frame.Type != FrameType.ChunkRequest || !frame.TryRead(ProtocolJsonContext.Default.ChunkRequest, out var request))
                {
                    await WriteAsync(link.Stream, FrameEncoder.ToArray(FrameType.Response, frame.RequestId,
                        new Response(StatusCode.BadRequest, "Only ChunkRequest frames are served here.", Reasons.BadRequest), ProtocolJsonContext.Default.Response), deadline);
                    continue;
                }
                if (!shared.TryGetChunkSource(request.FileId, request.Chunk, out var path, out var manifest))
                {
                    await WriteAsync(link.Stream, FrameEncoder.ToArray(FrameType.Response, frame.RequestId,
                        new Response(StatusCode.NotFound, "I do not hold that chunk.", Reasons.BadRequest), ProtocolJsonContext.Default.Response), deadline);
                    continue;
                }
                if (path != openPath)
                {
                    file?.Dispose();
                    file = null;
                    file = ChunkReader.OpenForServing(path);
                    openPath = path;
                }
                var length = await ChunkReader.ReadChunkAsync(file!, manifest, request.Chunk, buffer.AsMemory(FrameHeader.Size), CancellationToken.None);
                var payload = buffer.AsSpan(FrameHeader.Size, length);
                new FrameHeader(FrameType.ChunkData, frame.RequestId, length, Crc32C.Compute(payload)).WriteTo(buffer);
                await WriteAsync(link.Stream, buffer.AsMemory(0, FrameHeader.Size + length), deadline);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or Protocol.ProtocolException
            or UnauthorizedAccessException or OperationCanceledException)
        {
            // The downloader went away or stopped reading, or the file went away: this link is over, the downloader
            // fetches elsewhere.
        }
        finally
        {
            file?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            await link.DisposeAsync();
        }
    }

    /// <summary>One reply, within <see cref="WriteTimeout"/> (one timer per link, rearmed per write).</summary>
    private static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> bytes, CancellationTokenSource deadline)
    {
        deadline.CancelAfter(WriteTimeout);
        await stream.WriteAsync(bytes, deadline.Token);
        deadline.CancelAfter(Timeout.InfiniteTimeSpan);
    }
}
