using System.Buffers;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Framing;

/// <summary>
/// A peer's length field is a claim, not a fact (STYLE.md practice 2): nothing may be sized from it. A decoder that
/// rented or allocated the claimed length would allocate here, so each case asserts zero bytes allocated.
/// </summary>
[TestClass]
public sealed class HostileLengthTests
{
    [TestMethod]
    [DataRow(0x40000000u, FrameDecodeStatus.PayloadTooLarge, DisplayName = "1 GiB")]
    [DataRow(0x80000000u, FrameDecodeStatus.PayloadTooLarge, DisplayName = "negative if read as signed")]
    [DataRow(0xFFFFFFFFu, FrameDecodeStatus.PayloadTooLarge, DisplayName = "-1 if read as signed")]
    [DataRow((uint)ProtocolLimits.MaxPayloadLength, FrameDecodeStatus.NeedMoreData, DisplayName = "exactly the limit, nothing sent yet")]
    public void HeaderClaimingAHugeOrNegativeLengthAllocatesNothing(uint claimed, FrameDecodeStatus expected)
    {
        var header = Frames.HeaderClaiming(claimed);
        var single = new ReadOnlySequence<byte>(header);
        var split = Sequences.Split(header, 3, 13);
        Decode(single, isCompleted: false); // warm up: JIT, static tables

        var before = GC.GetAllocatedBytesForCurrentThread();
        var singleStatus = Decode(single, isCompleted: false);
        var splitStatus = Decode(split, isCompleted: false);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(expected, singleStatus);
        Assert.AreEqual(expected, splitStatus);
        Assert.AreEqual(0L, allocated, "bytes allocated while decoding a header");
    }

    [TestMethod]
    public void PeerDrippingAMaximalFrameCostsNothingUntilItIsComplete()
    {
        // A slow-loris peer: a header promising the maximum, then the payload a little at a time. The decoder
        // must wait without reserving anything; the pipe, not the decoder, holds what has arrived.
        var payload = new byte[ProtocolLimits.MaxPayloadLength];
        var wire = Frames.Raw(FrameType.ChunkData, 5, payload);
        Decode(new ReadOnlySequence<byte>(wire, 0, 100), false);

        var statuses = new FrameDecodeStatus[64];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < statuses.Length; i++)
        {
            statuses[i] = Decode(new ReadOnlySequence<byte>(wire, 0, FrameHeader.Size + (i * 16384)), false);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsTrue(statuses.All(s => s == FrameDecodeStatus.NeedMoreData), string.Join(",", statuses));
        Assert.AreEqual(0L, allocated, "bytes allocated while waiting for the payload");
        Assert.AreEqual(FrameDecodeStatus.Complete, Decode(new ReadOnlySequence<byte>(wire), false));
    }

    private static FrameDecodeStatus Decode(ReadOnlySequence<byte> buffer, bool isCompleted) =>
        FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted, out _);
}
