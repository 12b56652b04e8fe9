using Messenger.Protocol.Framing;

namespace Messenger.Protocol.Transport;

/// <summary>How a <see cref="FrameReader"/> loop ended: the stream ended cleanly, the caller stopped it, or a frame was
/// broken (<see cref="Status"/> says how; a truncated stream is the other side closing in the middle of a frame).</summary>
public readonly record struct FrameReadEnd(FrameReadEndKind Kind, FrameDecodeStatus Status)
{
    public static FrameReadEnd EndOfStream => new(FrameReadEndKind.EndOfStream, FrameDecodeStatus.Complete);

    public static FrameReadEnd Stopped => new(FrameReadEndKind.Stopped, FrameDecodeStatus.Complete);

    public static FrameReadEnd Broken(FrameDecodeStatus status) => new(FrameReadEndKind.Broken, status);
}

public enum FrameReadEndKind
{
    EndOfStream,
    Stopped,
    Broken,
}
