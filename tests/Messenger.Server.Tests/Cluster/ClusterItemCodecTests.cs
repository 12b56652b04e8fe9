using System.Text.Json;
using Messenger.Protocol.Contracts;
using Messenger.Server.Cluster;

namespace Messenger.Server.Tests.Cluster;

/// <summary>Redis's entries: a crossing's items in a compact binary form, the rest as JSON, all in order and whole.</summary>
[TestClass]
public sealed class ClusterItemCodecTests
{
    [TestMethod]
    public void AMixedBatchComesBackInItsOrderWithTheSameValuesAndTheWritingNodeAsFrom()
    {
        ClusterItem[] items =
        [
            new DeliverItem(4_611_686_018_427_387_000, "alice", "bob", 41, "héllo, ☃ \"quoted\"\nsecond line", 1_733_350_000_123),
            new OutcomeItem(7, DeliveryOutcome.Delivered),
            new TakeoverItem(3, "erin", Resume: true),
            new OutcomeItem(8, DeliveryOutcome.Stored),
            new OutcomeItem(9, null, StatusCode.Forbidden, "gina has blocked you.", Reasons.BlockedByRecipient),
            new DeliverItem(1, "alice", "bob", 42, "", 0),
        ];

        var back = ClusterItemCodec.Decode(ClusterItemCodec.Encode(items, "n2"));

        CollectionAssert.AreEqual(items.Select(i => i with { From = "n2" }).ToArray(), back);
    }

    [TestMethod]
    public void ADeliveryAndItsAnswerTakeFewerBytesThanAsJson()
    {
        ClusterItem[] items = [new DeliverItem(3_000_000_000_000_000_000, "user123", "user456", 1234, "a short message", 1_733_350_000_123),
            new OutcomeItem(3_000_000_000_000_000_000, DeliveryOutcome.Delivered)];

        var json = JsonSerializer.SerializeToUtf8Bytes(items.Select(i => i with { From = "n2" }).ToArray(), ClusterJsonContext.Default.ClusterItemArray);

        Assert.IsLessThan(json.Length / 2, ClusterItemCodec.Encode(items, "n2").Length);
    }

    [TestMethod]
    public void AnEntryOfAnotherVersionIsRefusedRatherThanMisread()
    {
        var entry = ClusterItemCodec.Encode([new PokeItem("bob")], "n1");
        entry[0] = 9;

        Assert.ThrowsExactly<InvalidDataException>(() => ClusterItemCodec.Decode(entry));
    }
}
