using Messenger.Client.Session;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Client.Tests.Session;

/// <summary>The outbox keeps what the server has not answered, in order, with ids that a restart cannot reuse.</summary>
[TestClass]
public sealed class OutboxTests
{
    [TestMethod]
    public void UnansweredMessagesComeBackOldestFirstAndAnsweredOnesAreGone()
    {
        var outbox = new Outbox(new FakeTimeProvider());
        var first = outbox.Add("bob", "one");
        var second = outbox.Add("carol", "two");
        var third = outbox.Add("bob", "three");

        outbox.Answered(second.MessageId);

        CollectionAssert.AreEqual(new[] { first, third }, outbox.Unanswered());
        Assert.AreEqual(2, outbox.Count);
    }

    [TestMethod]
    public void IdsStartFromTheClockSoALaterClientRunDoesNotReuseThem()
    {
        var clock = new FakeTimeProvider();
        var earlier = new Outbox(clock).Add("bob", "x");
        clock.Advance(TimeSpan.FromMilliseconds(1));

        var later = new Outbox(clock).Add("bob", "x");

        Assert.IsGreaterThan(earlier.MessageId + 999, later.MessageId, "a millisecond later leaves room for 1,000 messages");
    }

    [TestMethod]
    public async Task WhenEmptyCompletesOnceTheLastIsAnswered()
    {
        var outbox = new Outbox(new FakeTimeProvider());
        Assert.IsTrue(outbox.WhenEmpty().IsCompleted, "nothing sent yet");
        var entry = outbox.Add("bob", "hi");
        var empty = outbox.WhenEmpty();
        Assert.IsFalse(empty.IsCompleted);

        outbox.Answered(entry.MessageId);

        await empty.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
