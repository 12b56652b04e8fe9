using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage;

/// <summary>History's encoded batches and the conversation pairs that name their records.</summary>
[TestClass]
public sealed class DirectHistoryBatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void APairIsTheSameWhicheverUserComesFirstAndKeepsTheOrdinallyLowerNameFirst()
    {
        var one = ConversationPair.Of("bob", "Alice");
        var other = ConversationPair.Of("Alice", "bob");

        Assert.AreEqual(("Alice", "bob"), (one.Low, one.High), "ordinal: upper case sorts first");
        Assert.AreEqual(one, other);
        Assert.AreEqual(one.GetHashCode(), other.GetHashCode());
        Assert.AreNotEqual(one, ConversationPair.Of("alice", "bob"), "names compare case-sensitively, as accounts do");
    }

    [TestMethod]
    public void MessagesComeBackOutOfTheBatchAsTheyWentInWithTheSendTimeToTheMillisecond()
    {
        var sent = new[]
        {
            new StoredMessage(0, "alice", "bob", 1, "hello", T0.AddTicks(1234)),
            new StoredMessage(0, "bob", "alice", 7, "héllo wörld ✓", T0.AddSeconds(1)),
            new StoredMessage(0, "carol", "alice", 2, "", T0.AddSeconds(2)),
        };
        DirectHistoryBatch batch = [.. sent];

        var back = batch.ToList();

        Assert.HasCount(3, back);
        CollectionAssert.AreEqual(sent.Select(m => (m.Sender, m.Recipient, m.MessageId, m.Text)).ToArray(),
            back.Select(m => (m.Sender, m.Recipient, m.MessageId, m.Text)).ToArray());
        CollectionAssert.AreEqual(sent.Select(m => m.SentAt.ToUnixTimeMilliseconds()).ToArray(), back.Select(m => m.SentAt.ToUnixTimeMilliseconds()).ToArray());
    }

    [TestMethod]
    public void ARecordEncodedAheadIsAddedExactlyAsTheMessageItselfWouldBe()
    {
        var pair = ConversationPair.Of("bob", "alice");
        var message = new StoredMessage(0, "bob", "alice", 42, "ünïcode", T0);
        var direct = new DirectHistoryBatch();
        var encodedAhead = new DirectHistoryBatch();

        direct.Add(pair, message);
        encodedAhead.Add(pair, DirectHistoryBatch.Encode(pair, message));

        CollectionAssert.AreEqual(direct.Records.ToArray(), encodedAhead.Records.ToArray());
        Assert.AreSame(pair, encodedAhead.Entries[0].Pair);
        Assert.IsFalse(encodedAhead.Record(0).FromLow, "bob is the higher name");
    }

    [TestMethod]
    public void AClearedBatchIsEmptyAndTakesNewMessagesFromTheStart()
    {
        DirectHistoryBatch batch = [new StoredMessage(0, "alice", "bob", 1, new string('x', 5000), T0)];

        batch.Clear();
        batch.Add(new StoredMessage(0, "alice", "bob", 2, "after", T0));

        Assert.AreEqual(1, batch.Count);
        Assert.AreEqual("after", batch.Single().Text);
        Assert.AreEqual(0, batch.Entries[0].Offset);
    }
}
