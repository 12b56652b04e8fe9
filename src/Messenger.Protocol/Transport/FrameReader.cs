using System.IO.Pipelines;
using Messenger.Protocol.Framing;

namespace Messenger.Protocol.Transport;

/// <summary>
/// The one frame read loop (like Bedrock's ProtocolReader): decodes frames in place from a <see cref="PipeReader"/>
/// with the caller's size window, which may change between frames (small before login). Every link uses it: server
/// connections, the client's server link, peer sessions, the bench and the test clients. Only the swarm's chunk
/// reader keeps its own (<c>StreamFrameReader</c>: it decrypts straight into an aligned buffer for direct writes).
/// </summary>
public static class FrameReader
{
    /// <summary>
    /// Hands each frame to <paramref name="onFrame"/> until the stream ends, <paramref name="onFrame"/> returns false,
    /// or a frame is broken. The payload is a slice of the read buffer, valid until the returned task completes.
    /// </summary>
    public static async Task<FrameReadEnd> ReadAllAsync(PipeReader reader, Func<int> maxPayloadLength, Func<Frame, ValueTask<bool>> onFrame,
        CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = FrameDecodeStatus.NeedMoreData;
            var keepReading = true;
            while (keepReading)
            {
                status = FrameDecoder.TryDecode(ref buffer, maxPayloadLength(), result.IsCompleted, out var frame);
                if (status != FrameDecodeStatus.Complete)
                {
                    break;
                }
                keepReading = await onFrame(frame);
            }
            if (!keepReading)
            {
                reader.AdvanceTo(buffer.Start); // What follows was not looked at: a later read sees it at once.
                return FrameReadEnd.Stopped;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (status != FrameDecodeStatus.NeedMoreData)
            {
                return FrameReadEnd.Broken(status);
            }
            if (result.IsCompleted)
            {
                return FrameReadEnd.EndOfStream;
            }
        }
    }

    /// <summary>
    /// The next frame, copied out so it outlives the read buffer, or null at a clean end of stream (nothing partial
    /// left). A broken or truncated frame throws <see cref="ProtocolException"/>.
    /// </summary>
    public static async Task<ReceivedFrame?> ReadOneAsync(PipeReader reader, int maxPayloadLength, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = FrameDecoder.TryDecode(ref buffer, maxPayloadLength, result.IsCompleted, out var frame);
            if (status == FrameDecodeStatus.Complete)
            {
                var copy = ReceivedFrame.CopyOf(frame);
                reader.AdvanceTo(buffer.Start);
                return copy;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (status != FrameDecodeStatus.NeedMoreData)
            {
                throw new ProtocolException(status, $"The other side sent a bad frame ({status}).");
            }
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }
}
