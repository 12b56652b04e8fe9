using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;

namespace Messenger.Protocol.Framing;

/// <summary>
/// CRC-32C (Castagnoli), the checksum in the frame header. BitOperations.Crc32C uses the SSE4.2 / ARMv8
/// instruction where present, so eight bytes cost about one cycle.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(uint.MaxValue, data);

    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return Compute(data.FirstSpan);
        }
        var crc = uint.MaxValue;
        foreach (var segment in data)
        {
            crc = Append(crc, segment.Span);
        }
        return ~crc;
    }

    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return crc;
    }
}
