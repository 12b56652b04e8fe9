using System.Buffers;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Framing;

/// <summary>
/// Each broken header field has its own verdict, so the server can say what was wrong before it closes the
/// connection (docs/PROTOCOL.md §6). A verdict never moves the buffer: there is no skipping ahead to resync.
/// </summary>
[TestClass]
public sealed class MalformedHeaderTests
{
    [TestMethod]
    [DataRow(0x00000000u)]
    [DataRow(0x88EFCDABu)] // the magic written little-endian
    [DataRow(0xABCDEF89u)]
    [DataRow(0x2BCDEF88u)]
    [DataRow(0xFFFFFFFFu)]
    public void WrongMagicIsBadMagic(uint magic)
    {
        AssertVerdict(Frames.WithUInt32(Frames.Sample(), Frames.MagicOffset, magic), FrameDecodeStatus.BadMagic);
    }

    [TestMethod]
    public void EverySingleBitFlipInTheMagicIsBadMagic()
    {
        for (var bit = 0; bit < 32; bit++)
        {
            AssertVerdict(Frames.WithUInt32(Frames.Sample(), Frames.MagicOffset, FrameHeader.Magic ^ (1u << bit)), FrameDecodeStatus.BadMagic, $"bit {bit}");
        }
    }

    [TestMethod]
    [DataRow(new byte[] { (byte)'G', (byte)'E', (byte)'T', (byte)' ', (byte)'/' }, DisplayName = "an HTTP client")]
    [DataRow(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 }, DisplayName = "a TLS ClientHello on a plaintext port")]
    [DataRow(new byte[] { 0xAB, 0xCD, 0x00 }, DisplayName = "right first bytes, then a wrong one")]
    public void ForeignBytesAreBadMagicWithoutWaitingForAWholeHeader(byte[] start)
    {
        AssertVerdict(start, FrameDecodeStatus.BadMagic, "partial header, stream open", isCompleted: false);
        AssertVerdict(start, FrameDecodeStatus.BadMagic, "partial header, stream ended", isCompleted: true);
    }

    [TestMethod]
    [DataRow((byte)0)]
    [DataRow((byte)2)]
    [DataRow((byte)255)]
    public void OtherVersionIsUnsupportedVersion(byte version)
    {
        var frame = Frames.WithByte(Frames.Sample(), Frames.VersionOffset, version);

        AssertVerdict(frame, FrameDecodeStatus.UnsupportedVersion);
        AssertVerdict(frame.AsSpan(0, 5).ToArray(), FrameDecodeStatus.UnsupportedVersion, "as soon as the version byte is in", isCompleted: false);
    }

    [TestMethod]
    public void EveryTypeByteDecodesSoATypeFromANewerVersionCanBeAnsweredUnsupportedWithoutClosing()
    {
        for (var value = 0; value < 256; value++)
        {
            var frame = Frames.WithByte(Frames.Sample(), Frames.TypeOffset, (byte)value);
            var buffer = new ReadOnlySequence<byte>(frame);

            Assert.AreEqual(FrameDecodeStatus.Complete, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, true, out var decoded), $"type 0x{value:X2}");
            Assert.AreEqual((FrameType)value, decoded.Type);
            Assert.AreEqual(Enum.IsDefined((FrameType)value), FrameTypes.IsKnown((byte)value), $"type 0x{value:X2}");
        }
    }

    [TestMethod]
    public void AnySetFlagBitIsReservedFlagsSet()
    {
        for (var bit = 0; bit < 16; bit++)
        {
            AssertVerdict(Frames.WithUInt16(Frames.Sample(), Frames.FlagsOffset, (ushort)(1 << bit)), FrameDecodeStatus.ReservedFlagsSet, $"bit {bit}");
        }
        AssertVerdict(Frames.WithUInt16(Frames.Sample(), Frames.FlagsOffset, 0xFFFF), FrameDecodeStatus.ReservedFlagsSet, "all bits");
    }

    [TestMethod]
    [DataRow((uint)ProtocolLimits.MaxPayloadLength + 1, DisplayName = "one over the limit")]
    [DataRow(0x40000000u, DisplayName = "1 GiB")]
    [DataRow(0x7FFFFFFFu, DisplayName = "int.MaxValue")]
    [DataRow(0x80000000u, DisplayName = "top bit set (int.MinValue if read as signed)")]
    [DataRow(0xFFFFFFFFu, DisplayName = "all ones (-1 if read as signed)")]
    public void LengthOverTheLimitIsPayloadTooLargeAsSoonAsTheHeaderIsIn(uint length)
    {
        var header = Frames.HeaderClaiming(length);

        AssertVerdict(header, FrameDecodeStatus.PayloadTooLarge, "header alone, stream open", isCompleted: false);
        AssertVerdict(Frames.Concat(header, new byte[100]), FrameDecodeStatus.PayloadTooLarge, "with some payload");
    }

    [TestMethod]
    public void TheCallersLimitAppliesNotJustTheGlobalOne()
    {
        // The server passes 4 KiB before login (ProtocolLimits.MaxPreLoginPayloadLength).
        var limit = ProtocolLimits.MaxPreLoginPayloadLength;

        var atLimit = new ReadOnlySequence<byte>(Frames.HeaderClaiming((uint)limit));
        Assert.AreEqual(FrameDecodeStatus.NeedMoreData, FrameDecoder.TryDecode(ref atLimit, limit, false, out _));

        var overLimit = new ReadOnlySequence<byte>(Frames.HeaderClaiming((uint)limit + 1));
        Assert.AreEqual(FrameDecodeStatus.PayloadTooLarge, FrameDecoder.TryDecode(ref overLimit, limit, false, out _));

        var exact = new ReadOnlySequence<byte>(Frames.Raw(FrameType.ChunkData, 1, new byte[limit]));
        Assert.AreEqual(FrameDecodeStatus.Complete, FrameDecoder.TryDecode(ref exact, limit, false, out var frame));
        Assert.AreEqual(limit, frame.Header.PayloadLength);
    }

    [TestMethod]
    public void WrongChecksumIsChecksumMismatch()
    {
        var frame = Frames.Sample();
        for (var bit = 0; bit < 32; bit++)
        {
            var checksum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(Frames.ChecksumOffset));
            AssertVerdict(Frames.WithUInt32(frame, Frames.ChecksumOffset, checksum ^ (1u << bit)), FrameDecodeStatus.ChecksumMismatch, $"checksum bit {bit}");
        }
        for (var i = FrameHeader.Size; i < frame.Length; i++)
        {
            AssertVerdict(Frames.WithByte(frame, i, (byte)(frame[i] ^ 0x10)), FrameDecodeStatus.ChecksumMismatch, $"payload byte {i}");
        }
        AssertVerdict(Frames.WithUInt32(Frames.Raw(FrameType.Ping, 1, ReadOnlySpan<byte>.Empty), Frames.ChecksumOffset, 0x12345678),
            FrameDecodeStatus.ChecksumMismatch, "empty payload must carry checksum 0");
    }

    [TestMethod]
    public void ChecksumIsCheckedOverTheWholePayloadEvenWhenSplit()
    {
        var frame = Frames.WithByte(Frames.Sample(), Frames.Sample().Length - 1, 0x00);

        AssertVerdict(frame, FrameDecodeStatus.ChecksumMismatch, "one segment");
        var split = Sequences.OneBytePerSegment(frame);
        var before = split;
        Assert.AreEqual(FrameDecodeStatus.ChecksumMismatch, FrameDecoder.TryDecode(ref split, ProtocolLimits.MaxPayloadLength, false, out _));
        Assert.AreEqual(before.Start, split.Start);
    }

    [TestMethod]
    public void StreamEndingInsideTheHeaderIsTruncatedStream()
    {
        var frame = Frames.Sample();
        for (var length = 1; length < FrameHeader.Size; length++)
        {
            AssertVerdict(frame.AsSpan(0, length).ToArray(), FrameDecodeStatus.TruncatedStream, $"{length} header bytes", isCompleted: true);
        }
    }

    [TestMethod]
    public void StreamEndingInsideThePayloadIsTruncatedStream()
    {
        var frame = Frames.Sample();
        for (var length = FrameHeader.Size; length < frame.Length; length++)
        {
            AssertVerdict(frame.AsSpan(0, length).ToArray(), FrameDecodeStatus.TruncatedStream, $"{length} of {frame.Length} bytes", isCompleted: true);
        }
    }

    [TestMethod]
    public void StreamEndingBetweenFramesIsNotAnError()
    {
        var buffer = ReadOnlySequence<byte>.Empty;

        Assert.AreEqual(FrameDecodeStatus.NeedMoreData, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted: true, out _));
    }

    [TestMethod]
    public void NeedMoreDataLeavesTheBufferUntouched()
    {
        var frame = Frames.Sample();
        foreach (var length in new[] { 0, 1, 4, 5, 19, 20, 21, frame.Length - 1 })
        {
            AssertVerdict(frame.AsSpan(0, length).ToArray(), FrameDecodeStatus.NeedMoreData, $"{length} bytes", isCompleted: false);
        }
    }

    [TestMethod]
    public void FieldsAreCheckedInHeaderOrderSoTheFirstWrongOneIsReported()
    {
        var everythingWrong = Frames.WithUInt32(Frames.WithUInt16(Frames.WithByte(Frames.WithByte(
            Frames.Sample(), Frames.VersionOffset, 9), Frames.TypeOffset, 0xEE), Frames.FlagsOffset, 1), Frames.LengthOffset, 0xFFFFFFFF);

        AssertVerdict(Frames.WithUInt32(everythingWrong, Frames.MagicOffset, 0), FrameDecodeStatus.BadMagic);
        AssertVerdict(everythingWrong, FrameDecodeStatus.UnsupportedVersion);
        AssertVerdict(Frames.WithByte(Frames.WithByte(everythingWrong, Frames.VersionOffset, 1), Frames.TypeOffset, (byte)FrameType.Notice),
            FrameDecodeStatus.ReservedFlagsSet);
    }

    /// <summary>Decodes and checks the verdict, that the buffer did not move, and that no frame came out.</summary>
    private static void AssertVerdict(byte[] bytes, FrameDecodeStatus expected, string? what = null, bool isCompleted = false)
    {
        foreach (var (shape, start) in new[] { ("one segment", new ReadOnlySequence<byte>(bytes)), ("one byte per segment", Sequences.OneBytePerSegment(bytes)) })
        {
            var buffer = start;

            var status = FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted, out var frame);

            Assert.AreEqual(expected, status, $"{what} ({shape})");
            Assert.AreEqual(start.Start, buffer.Start, $"{what} ({shape}): buffer start moved");
            Assert.AreEqual(start.Length, buffer.Length, $"{what} ({shape}): buffer length changed");
            Assert.AreEqual(default, frame, $"{what} ({shape}): a frame came out");
        }
    }
}
