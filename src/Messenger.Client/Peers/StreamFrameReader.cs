using System.Buffers;
using System.Buffers.Binary;
using Messenger.Client.Swarm;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Peers;

/// <summary>
/// Reads whole frames straight from a stream into one buffer that is reused for every frame: the TLS stream decrypts
/// into it and the caller hashes and writes from it, so a chunk is copied once on its way in (a pipe plus a copy out
/// was two more) and nothing is allocated per frame. The payload starts on a <see cref="DirectWrites.Alignment"/>
/// boundary, so a chunk can be written to disk without the page cache. A frame is valid until the next read.
/// Every check of <see cref="FrameDecoder"/> applies (header fields, the length limit before anything is read, CRC32C).
/// </summary>
public sealed class StreamFrameReader
{
    private readonly Stream stream;
    private readonly int maxPayloadLength;
    private readonly byte[] buffer;
    private readonly int start;

    public StreamFrameReader(Stream stream, int maxPayloadLength)
    {
        this.stream = stream;
        this.maxPayloadLength = maxPayloadLength;
        (buffer, start) = DirectWrites.AllocateAligned(FrameHeader.Size + maxPayloadLength, FrameHeader.Size);
    }

    /// <summary>The next frame (its payload a slice of this reader's buffer), or null at a clean end of stream.</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        var bytes = buffer;
        var headerRead = await stream.ReadAtLeastAsync(bytes.AsMemory(start, FrameHeader.Size), FrameHeader.Size, throwOnEndOfStream: false, cancellationToken);
        if (headerRead == 0)
        {
            return null;
        }
        if (headerRead < FrameHeader.Size)
        {
            throw new Protocol.ProtocolException(FrameDecodeStatus.TruncatedStream, "The peer closed the connection in the middle of a frame.");
        }
        // The decoder checks the header (and the length against the limit) before the length is used to read on.
        var header = new ReadOnlySequence<byte>(bytes, start, FrameHeader.Size);
        var status = FrameDecoder.TryDecode(ref header, maxPayloadLength, isCompleted: false, out _);
        if (status is not (FrameDecodeStatus.NeedMoreData or FrameDecodeStatus.Complete))
        {
            throw new Protocol.ProtocolException(status, $"The peer sent a bad frame ({status}).");
        }
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(start + 12));
        await stream.ReadExactlyAsync(bytes.AsMemory(start + FrameHeader.Size, length), cancellationToken);
        var whole = new ReadOnlySequence<byte>(bytes, start, FrameHeader.Size + length);
        status = FrameDecoder.TryDecode(ref whole, maxPayloadLength, isCompleted: true, out var frame);
        return status == FrameDecodeStatus.Complete
            ? frame
            : throw new Protocol.ProtocolException(status, $"The peer sent a bad frame ({status}).");
    }
}
