using System.Buffers.Binary;

namespace Messenger.Protocol.Framing;

/// <summary>
/// The fixed 20-byte header in front of every frame, big-endian (network order):
/// magic u32 | version u8 | type u8 | flags u16 | request id u32 | payload length u32 | CRC32C u32.
/// See docs/PROTOCOL.md §2.
/// </summary>
public readonly record struct FrameHeader(FrameType Type, uint RequestId, int PayloadLength, uint Checksum)
{
    public const uint Magic = 0xABCDEF88;
    public const byte CurrentVersion = 1;
    public const int Size = 20;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Magic);
        destination[4] = CurrentVersion;
        destination[5] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], RequestId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], (uint)PayloadLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], Checksum);
    }
}
