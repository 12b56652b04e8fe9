using System.Buffers;
using System.IO.Pipelines;
using Messenger.Client.Connection;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Peers;

/// <summary>Reads whole frames from a peer's stream, up to the limit the caller expects (control frames, or chunk data).</summary>
public static class PeerFrameReader
{
    /// <summary>The next frame, or null at a clean end of stream. A broken frame throws ProtocolException.</summary>
    public static async Task<ReceivedFrame?> ReadAsync(PipeReader reader, int maxPayloadLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = FrameDecoder.TryDecode(ref buffer, maxPayloadLength, result.IsCompleted, out var frame);
            if (status == FrameDecodeStatus.Complete)
            {
                var copy = new ReceivedFrame(frame.Type, frame.RequestId, frame.Payload.ToArray());
                reader.AdvanceTo(buffer.Start);
                return copy;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (status == FrameDecodeStatus.NeedMoreData)
            {
                if (result.IsCompleted)
                {
                    return null;
                }
                continue;
            }
            if (status == FrameDecodeStatus.TruncatedStream && buffer.IsEmpty)
            {
                return null;
            }
            throw new Protocol.ProtocolException(status, $"The peer sent a bad frame ({status}).");
        }
    }
}
