using System.Buffers;
using System.Buffers.Binary;

namespace Messenger.Protocol.Framing;

/// <summary>
/// Parses frames in place from a <see cref="ReadOnlySequence{T}"/>: a pure function, no sockets, no copies
/// (the payload is a slice). Validates every header field, and the length before anything is sized from it.
/// </summary>
public static class FrameDecoder
{
    /// <summary>
    /// Tries to take one frame from the front of <paramref name="buffer"/>. On <see cref="FrameDecodeStatus.Complete"/>
    /// the buffer is advanced past the frame; otherwise it is left as it was.
    /// </summary>
    /// <param name="isCompleted">True when no more bytes will come: a partial frame is then a truncated stream.</param>
    public static FrameDecodeStatus TryDecode(ref ReadOnlySequence<byte> buffer, int maxPayloadLength, bool isCompleted, out Frame frame)
    {
        frame = default;
        if (buffer.Length < FrameHeader.Size)
        {
            // Check what is already here: a wrong magic or version is reported without waiting for the rest.
            var early = CheckPrefix(buffer);
            if (early != FrameDecodeStatus.Complete)
            {
                return early;
            }
            return isCompleted && !buffer.IsEmpty ? FrameDecodeStatus.TruncatedStream : FrameDecodeStatus.NeedMoreData;
        }

        Span<byte> raw = stackalloc byte[FrameHeader.Size];
        buffer.Slice(0, FrameHeader.Size).CopyTo(raw);
        var status = Validate(raw, maxPayloadLength, out var header);
        if (status != FrameDecodeStatus.Complete)
        {
            return status;
        }

        long total = FrameHeader.Size + (long)header.PayloadLength;
        if (buffer.Length < total)
        {
            return isCompleted ? FrameDecodeStatus.TruncatedStream : FrameDecodeStatus.NeedMoreData;
        }

        var payload = buffer.Slice(FrameHeader.Size, header.PayloadLength);
        if (Crc32C.Compute(payload) != header.Checksum)
        {
            return FrameDecodeStatus.ChecksumMismatch;
        }
        frame = new Frame(header, payload);
        buffer = buffer.Slice(total);
        return FrameDecodeStatus.Complete;
    }

    private static FrameDecodeStatus Validate(ReadOnlySpan<byte> raw, int maxPayloadLength, out FrameHeader header)
    {
        header = default;
        if (BinaryPrimitives.ReadUInt32BigEndian(raw) != FrameHeader.Magic)
        {
            return FrameDecodeStatus.BadMagic;
        }
        if (raw[4] != FrameHeader.CurrentVersion)
        {
            return FrameDecodeStatus.UnsupportedVersion;
        }
        // A type byte this version does not know is not an error here: the frame is well delimited, so the receiver
        // answers it "unsupported" (a newer peer) and the connection goes on (FrameTypes.IsKnown tells them apart).
        if (BinaryPrimitives.ReadUInt16BigEndian(raw[6..]) != 0)
        {
            return FrameDecodeStatus.ReservedFlagsSet;
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(raw[12..]);
        if (length > (uint)maxPayloadLength)
        {
            return FrameDecodeStatus.PayloadTooLarge;
        }
        header = new FrameHeader(
            (FrameType)raw[5],
            BinaryPrimitives.ReadUInt32BigEndian(raw[8..]),
            (int)length,
            BinaryPrimitives.ReadUInt32BigEndian(raw[16..]));
        return FrameDecodeStatus.Complete;
    }

    private static FrameDecodeStatus CheckPrefix(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> raw = stackalloc byte[FrameHeader.Size];
        var available = (int)buffer.Length;
        buffer.CopyTo(raw);
        ReadOnlySpan<byte> magic = [0xAB, 0xCD, 0xEF, 0x88];
        var magicBytes = Math.Min(available, magic.Length);
        if (!raw[..magicBytes].SequenceEqual(magic[..magicBytes]))
        {
            return FrameDecodeStatus.BadMagic;
        }
        if (available > 4 && raw[4] != FrameHeader.CurrentVersion)
        {
            return FrameDecodeStatus.UnsupportedVersion;
        }
        return FrameDecodeStatus.Complete;
    }
}
