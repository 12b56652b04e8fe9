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

    [TestMethod]
    public void AnEntryCutShortIsRefusedRatherThanReadPastItsEnd()
    {
        var entry = ClusterItemCodec.Encode([new DeliverItem(1, "alice", "bob", 2, "a message that is cut", 3)], "n1");

        Assert.ThrowsExactly<InvalidDataException>(() => ClusterItemCodec.Decode(entry.AsSpan(0, entry.Length - 12)));
    }

    [TestMethod]
    public void AReaderThatKeepsNamesGetsOneStringPerNameAcrossEntriesAndTheTextsAsTheyWere()
    {
        var names = new NameCache();
        var first = ClusterItemCodec.Decode(ClusterItemCodec.Encode([new DeliverItem(1, "alice", "bob", 1, "one", 0)], "n1"), names);
        var second = ClusterItemCodec.Decode(ClusterItemCodec.Encode([new DeliverItem(2, "alice", "bob", 2, "two", 0)], "n1"), names);

        var (a, b) = ((DeliverItem)first[0], (DeliverItem)second[0]);
        Assert.AreSame(a.Sender, b.Sender);
        Assert.AreSame(a.Recipient, b.Recipient);
        Assert.AreSame(a.From, b.From);
        Assert.AreEqual(a with { Ref = 2, MessageId = 2, Text = "two" }, b);
    }

    [TestMethod]
    public void ANameCacheAtItsCapacityStartsAfreshInsteadOfGrowing()
    {
        var names = new NameCache(capacity: 2);
        names.Get("alice"u8);
        names.Get("bob"u8);

        var carol = names.Get("carol"u8);

        Assert.AreEqual(1, names.Count);
        Assert.AreEqual("carol", carol);
        Assert.AreSame(carol, names.Get("carol"u8));
    }

    [TestMethod]
    public void AnEntryWrittenAfterAVeryLargeOneHoldsOnlyItsOwnItems()
    {
        var large = Enumerable.Range(0, 20_000).Select(i => (ClusterItem)new DeliverItem(i, "alice", "bob", i, new string('x', 60), 0)).ToArray();
        Assert.HasCount(20_000, ClusterItemCodec.Decode(ClusterItemCodec.Encode(large, "n1")));

        var small = ClusterItemCodec.Decode(ClusterItemCodec.Encode([new PokeItem("bob")], "n1"));

        CollectionAssert.AreEqual(new ClusterItem[] { new PokeItem("bob") { From = "n1" } }, small);
    }
}
