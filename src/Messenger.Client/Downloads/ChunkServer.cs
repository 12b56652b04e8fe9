using System.Buffers;
using Messenger.Client.Peers;
using Messenger.Client.Swarm;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Downloads;

/// <summary>
/// Serves chunks to one downloader over an authenticated peer link: each ChunkRequest is answered in order with a
/// ChunkData frame (raw bytes, the request's id) or a 404 Response. Chunk bytes go from the file into a pooled buffer
/// and onto the TLS stream: no text encoding, one copy.
/// </summary>
public sealed class ChunkServer(SharedFiles shared)
{
    public async Task ServeAsync(PeerLink link)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSizing.MaxChunkSize);
        var header = new byte[FrameHeader.Size];
        try
        {
            while (await PeerFrameReader.ReadAsync(link.Reader, ProtocolLimits.MaxControlPayloadLength, CancellationToken.None) is { } frame)
            {
                if (frame.Type != FrameType.ChunkRequest || !frame.TryRead(ProtocolJsonContext.Default.ChunkRequest, out var request))
                {
                    await link.Stream.WriteAsync(FrameEncoder.ToArray(FrameType.Response, frame.RequestId,
                        new Response(StatusCode.BadRequest, "Only ChunkRequest frames are served here.", Reasons.BadRequest), ProtocolJsonContext.Default.Response));
                    continue;
                }
                if (!shared.TryGetChunkSource(request.FileId, request.Chunk, out var path, out var manifest))
                {
                    await link.Stream.WriteAsync(FrameEncoder.ToArray(FrameType.Response, frame.RequestId,
                        new Response(StatusCode.NotFound, "I do not hold that chunk.", Reasons.BadRequest), ProtocolJsonContext.Default.Response));
                    continue;
                }
                var length = await PartialDownload.ReadChunkAsync(path, manifest, request.Chunk, buffer, CancellationToken.None);
                var payload = buffer.AsMemory(0, length);
                new FrameHeader(FrameType.ChunkData, frame.RequestId, length, Crc32C.Compute(payload.Span)).WriteTo(header);
                await link.Stream.WriteAsync(header);
                await link.Stream.WriteAsync(payload);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or Protocol.ProtocolException or UnauthorizedAccessException)
        {
            // The downloader went away, or the file did: this link is over, the downloader fetches elsewhere.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await link.DisposeAsync();
        }
    }
}
