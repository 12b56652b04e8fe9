using Messenger.Server.Messaging;

namespace Messenger.Server.Tests.Messaging;

[TestClass]
public sealed class StripedCounterTests
{
    [TestMethod]
    public void AddsFromManyThreadsAtOnceSumExactly()
    {
        var counter = new StripedCounter();
        var adders = Enumerable.Range(0, 8).Select(worker => new Thread(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                counter.Add(worker % 2 == 0 ? 1 : 2);
            }
        })).ToList();
        adders.ForEach(thread => thread.Start());
        adders.ForEach(thread => Assert.IsTrue(thread.Join(TimeSpan.FromSeconds(30))));
        Assert.AreEqual(4 * 100_000L + 4 * 200_000L, counter.Sum());
    }

    [TestMethod]
    public void AddsOfEverySignSum()
    {
        var counter = new StripedCounter();
        counter.Add(5);
        counter.Add(-2);
        counter.Add(10);
        Assert.AreEqual(13, counter.Sum());
    }
}
