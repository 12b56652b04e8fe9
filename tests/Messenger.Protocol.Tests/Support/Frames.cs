using System.Buffers;
using System.Buffers.Binary;
using Messenger.Protocol.Framing;

namespace Messenger.Protocol.Tests.Support;

/// <summary>Builds valid frames and patches single header fields to make exactly one of them wrong.</summary>
public static class Frames
{
    // Offsets of the header fields (docs/PROTOCOL.md §2).
    public const int MagicOffset = 0;
    public const int VersionOffset = 4;
    public const int TypeOffset = 5;
    public const int FlagsOffset = 6;
    public const int RequestIdOffset = 8;
    public const int LengthOffset = 12;
    public const int ChecksumOffset = 16;

    public static byte[] Raw(FrameType type, uint requestId, ReadOnlySpan<byte> payload)
    {
        var output = new ArrayBufferWriter<byte>(FrameHeader.Size + payload.Length);
        FrameEncoder.WriteRaw(output, type, requestId, payload);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A small well-formed frame with a JSON-looking payload.</summary>
    public static byte[] Sample(uint requestId = 7) =>
        Raw(FrameType.Broadcast, requestId, """{"text":"Grüße 👋"}"""u8);

    public static byte[] WithUInt32(byte[] frame, int offset, uint value)
    {
        var copy = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] WithUInt16(byte[] frame, int offset, ushort value)
    {
        var copy = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] WithByte(byte[] frame, int offset, byte value)
    {
        var copy = (byte[])frame.Clone();
        copy[offset] = value;
        return copy;
    }

    /// <summary>A header alone claiming <paramref name="length"/> payload bytes (checksum of nothing).</summary>
    public static byte[] HeaderClaiming(uint length, FrameType type = FrameType.ChunkData)
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(type, 1, 0, 0).WriteTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(LengthOffset), length);
        return header;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Asserts equal bytes, naming the first difference instead of dumping a megabyte.</summary>
    public static void AssertBytesEqual(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        var firstDifference = expected.CommonPrefixLength(actual);
        Assert.AreEqual(expected.Length, firstDifference, $"{what}: first difference at byte {firstDifference}");
    }
}
