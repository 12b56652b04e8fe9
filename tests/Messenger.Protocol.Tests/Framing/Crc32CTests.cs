using System.Buffers;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Framing;

[TestClass]
public sealed class Crc32CTests
{
    [TestMethod]
    public void MatchesTheStandardCheckValue()
    {
        // The CRC-32C (Castagnoli, iSCSI, RFC 3720) check value: the CRC of the nine ASCII digits.
        Assert.AreEqual(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.AreEqual(0xE3069283u, Crc32C.Compute(new ReadOnlySequence<byte>("123456789"u8.ToArray())));
    }

    [TestMethod]
    public void MatchesKnownVectorsFromRfc3720()
    {
        // RFC 3720 appendix B.4: 32 bytes of zeros, of 0xFF, and ascending 0..31.
        Assert.AreEqual(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.AreEqual(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.AreEqual(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.AreEqual(0u, Crc32C.Compute(ReadOnlySpan<byte>.Empty));
    }

    [TestMethod]
    public void MultiSegmentSequenceGivesTheSameValueAsOneSpanAtEverySplit()
    {
        var data = new byte[67];
        new Random(3).NextBytes(data);
        var expected = Crc32C.Compute(data);

        for (var cut = 0; cut <= data.Length; cut++)
        {
            Assert.AreEqual(expected, Crc32C.Compute(Sequences.Split(data, cut)), $"split at {cut}");
            for (var second = cut; second <= data.Length; second += 5)
            {
                Assert.AreEqual(expected, Crc32C.Compute(Sequences.Split(data, cut, second)), $"split at {cut} and {second}");
            }
        }
        Assert.AreEqual(expected, Crc32C.Compute(Sequences.OneBytePerSegment(data)), "one byte per segment");
    }

    [TestMethod]
    public void EveryLengthAgreesWithABitwiseReference()
    {
        // Lengths 0..40 cross the 8-byte fast path's boundary at every remainder.
        var data = new byte[40];
        new Random(4).NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            Assert.AreEqual(Reference(data.AsSpan(0, length)), Crc32C.Compute(data.AsSpan(0, length)), $"length {length}");
        }
    }

    [TestMethod]
    public void LongBuffersComputedInThreeLanesAgreeWithTheReferenceAtEveryRemainder()
    {
        // From 8 KiB on the buffer is split into three lanes joined by shifting: lengths around that point and a 1 MiB
        // chunk, at every remainder modulo 24 (three lanes of whole 8-byte words), and split across sequence segments.
        var data = new byte[(1 << 20) + 23];
        new Random(5).NextBytes(data);
        var register = uint.MaxValue;
        var fed = 0;
        foreach (var length in Enumerable.Range(8 * 1024 - 30, 60).Concat(Enumerable.Range((1 << 20) - 24, 48)))
        {
            // The reference register is carried forward, so the bitwise loop runs over the megabyte only once.
            register = Feed(register, data.AsSpan(fed, length - fed));
            fed = length;
            Assert.AreEqual(~register, Crc32C.Compute(data.AsSpan(0, length)), $"length {length}");
        }
        Assert.AreEqual(Reference(data), Crc32C.Compute(Sequences.Split(data, 12_345)), "a long segment after a short one");
    }

    /// <summary>The textbook bit-at-a-time CRC-32C: reflected polynomial 0x82F63B78, init and final xor all ones.</summary>
    private static uint Reference(ReadOnlySpan<byte> data) => ~Feed(uint.MaxValue, data);

    private static uint Feed(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }
        return crc;
    }
}
