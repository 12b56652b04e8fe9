namespace Messenger.Protocol.Framing;

/// <summary>Outcome of one decode attempt. Anything past <see cref="NeedMoreData"/> is a protocol error.</summary>
public enum FrameDecodeStatus
{
    Complete,
    NeedMoreData,
    BadMagic,
    UnsupportedVersion,
    UnknownFrameType,
    ReservedFlagsSet,
    PayloadTooLarge,
    ChecksumMismatch,
    TruncatedStream,
}
