namespace Messenger.Protocol.Framing;

/// <summary>Outcome of one decode attempt. Anything past <see cref="NeedMoreData"/> is a protocol error.</summary>
public enum FrameDecodeStatus
{
    Complete,
    NeedMoreData,
    BadMagic,
    UnsupportedVersion,
    ReservedFlagsSet,
    PayloadTooLarge,
    ChecksumMismatch,
    TruncatedStream,
}
