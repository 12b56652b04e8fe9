using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Messenger.Protocol.Framing;

/// <summary>
/// CRC-32C (Castagnoli), the checksum in the frame header. BitOperations.Crc32C uses the SSE4.2 / ARMv8
/// instruction where present. That instruction takes ~3 cycles but can start every cycle, so a long buffer is
/// split into three lanes computed side by side and joined with <see cref="Shift"/> (as zlib's crc32_combine):
/// ~3x the speed of one lane on a 1 MiB chunk, where the CRC was 12 % of a swarm holder's CPU (BENCHMARKS.md, S1).
/// </summary>
public static class Crc32C
{
    /// <summary>The reflected polynomial.</summary>
    private const uint Polynomial = 0x82F63B78u;

    /// <summary>Below this many bytes one lane is as fast (joining costs a few hundred operations).</summary>
    private const int LanesFrom = 8 * 1024;

    /// <summary>x^(2^k) mod P for k = 0..33, enough for any int count of bytes (x^0 is the top bit in the reflected form).</summary>
    private static readonly uint[] PowersOfX = BuildPowersOfX();

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
        if (data.Length >= LanesFrom)
        {
            var lane = data.Length / 3 & ~7;
            var second = 0u;
            var third = 0u;
            // Unchecked reads: i + 2·lane + 8 <= 3·lane <= data.Length, checked once here instead of three times a step.
            ref var start = ref MemoryMarshal.GetReference(data);
            for (var i = 0; i < lane; i += sizeof(ulong))
            {
                crc = BitOperations.Crc32C(crc, Word(ref Unsafe.Add(ref start, i)));
                second = BitOperations.Crc32C(second, Word(ref Unsafe.Add(ref start, lane + i)));
                third = BitOperations.Crc32C(third, Word(ref Unsafe.Add(ref start, 2 * lane + i)));
            }
            // The CRC register is linear: the first lane's register moves past the other two lanes' bytes.
            crc = Shift(Shift(crc, lane) ^ second, lane) ^ third;
            data = data[(3 * lane)..];
        }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ref byte at)
    {
        var word = Unsafe.ReadUnaligned<ulong>(ref at);
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }

    /// <summary>The register after <paramref name="bytes"/> zero bytes: crc · x^(8·bytes) mod P.</summary>
    private static uint Shift(uint crc, int bytes)
    {
        var power = 1u << 31; // x^0
        var k = 3; // 8·bytes = bytes · 2^3
        for (var n = (uint)bytes; n != 0; n >>= 1, k++)
        {
            if ((n & 1) != 0)
            {
                power = Multiply(PowersOfX[k], power);
            }
        }
        return Multiply(power, crc);
    }

    /// <summary>a · b mod P, both in the reflected form (zlib's multmodp).</summary>
    private static uint Multiply(uint a, uint b)
    {
        var product = 0u;
        for (var bit = 1u << 31; bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0)
            {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
        return product;
    }

    private static uint[] BuildPowersOfX()
    {
        var powers = new uint[34];
        powers[0] = 1u << 30; // x^1
        for (var k = 1; k < powers.Length; k++)
        {
            powers[k] = Multiply(powers[k - 1], powers[k - 1]);
        }
        return powers;
    }
}
