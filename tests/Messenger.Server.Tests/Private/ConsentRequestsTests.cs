using Messenger.Server.Private;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Private;

/// <summary>Issue 18: the pending consent requests and their timers, on a fake clock.</summary>
[TestClass]
public sealed class ConsentRequestsTests
{
    private readonly FakeTimeProvider clock = new();
    private readonly List<(string Requester, string Target)> expired = [];

    private ConsentRequests Create(int perMinute = 5) =>
        new(clock, TimeSpan.FromSeconds(60), perMinute, (requester, target) => expired.Add((requester.User, target)));

    private static PrivateRequester User(string name) => new(name, "fingerprint-of-" + name);

    [TestMethod]
    public void ARequestExpiresExactlyOnceAtTheTimeout()
    {
        var requests = Create();
        Assert.AreEqual(ConsentAsk.Asked, requests.TryAsk(User("alice"), "bob"));
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.IsEmpty(expired);
        clock.Advance(TimeSpan.FromSeconds(1));
        CollectionAssert.AreEqual(new[] { ("alice", "bob") }, expired);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.HasCount(1, expired);
        Assert.AreEqual(0, requests.Count);
    }

    [TestMethod]
    public void AnAnsweredRequestNeverExpires()
    {
        var requests = Create();
        var alice = User("alice");
        requests.TryAsk(alice, "bob");
        Assert.AreEqual(alice, requests.Take("alice", "bob"));
        Assert.IsNull(requests.Take("alice", "bob"), "answered once");
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.IsEmpty(expired);
    }

    [TestMethod]
    public void LeavingEndsEveryRequestFromOrToTheUserAndItsTimer()
    {
        var requests = Create();
        var alice = User("alice");
        var carol = User("carol");
        requests.TryAsk(alice, "bob");
        requests.TryAsk(carol, "bob");
        var bob = User("bob");
        requests.TryAsk(bob, "dave");
        var ended = requests.UserLeft("bob");
        CollectionAssert.AreEquivalent(new[] { (alice, "bob"), (carol, "bob"), (bob, "dave") }, ended);
        Assert.AreEqual(0, requests.Count);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.IsEmpty(expired, "no timer outlived the users");
    }

    [TestMethod]
    public void OneRequestPerPairAndABudgetPerRequester()
    {
        var requests = Create(perMinute: 2);
        var alice = User("alice");
        Assert.AreEqual(ConsentAsk.Asked, requests.TryAsk(alice, "bob"));
        Assert.AreEqual(ConsentAsk.AlreadyAsked, requests.TryAsk(alice, "bob"));
        Assert.AreEqual(ConsentAsk.Asked, requests.TryAsk(alice, "carol"));
        Assert.AreEqual(ConsentAsk.TooMany, requests.TryAsk(alice, "dave"));
        Assert.AreEqual(ConsentAsk.Asked, requests.TryAsk(User("erin"), "dave"), "the budget is per requester");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.AreEqual(ConsentAsk.Asked, requests.TryAsk(alice, "dave"));
    }
}
