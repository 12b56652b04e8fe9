using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Tests.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Presence;

[TestClass]
public sealed class PresenceAnnouncerTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SessionRegistry sessions = new();
    private readonly BlockList blocks = new([]);
    private readonly Dictionary<string, RecordingLink> links = new(StringComparer.Ordinal);

    private PresenceAnnouncer NewAnnouncer() => new(time, sessions, blocks);

    private RecordingLink Online(string user)
    {
        var link = new RecordingLink();
        links[user] = link;
        Assert.IsTrue(sessions.TryAdd(new Session(user, "token-" + user, link, time.GetUtcNow(), new TokenBucket(time, 10))));
        return link;
    }

    /// <summary>Logs <paramref name="count"/> users in and announces each, as a login storm would.</summary>
    private static void Storm(PresenceAnnouncer announcer, Func<int, string> user, int count, Action<string> beforeAnnounce)
    {
        for (var i = 0; i < count; i++)
        {
            beforeAnnounce(user(i));
            announcer.Publish(user(i), PresenceKind.LoggedIn);
        }
    }

    [TestMethod]
    public void AnOrdinaryLoginIsAnnouncedAtOnceToEveryoneElse()
    {
        using var announcer = NewAnnouncer();
        var bob = Online("bob");
        var alice = Online("alice");

        announcer.Publish("alice", PresenceKind.LoggedIn);

        Assert.AreEqual("alice LoggedIn", bob.SinglePresence());
        Assert.IsEmpty(alice.Frames, "nobody is told of their own login");
    }

    [TestMethod]
    public void UsersWhomTheUserBlockedAreNotTold()
    {
        using var announcer = NewAnnouncer();
        var bob = Online("bob");
        var carol = Online("carol");
        Online("alice");
        blocks.Add("alice", "bob");

        announcer.Publish("alice", PresenceKind.LoggedOut);

        Assert.IsEmpty(bob.Frames);
        Assert.AreEqual("alice LoggedOut", carol.SinglePresence());
    }

    [TestMethod]
    public void ALoginStormReachesEachUserAsOneDigestPerWindowAfterTheFirstEvents()
    {
        using var announcer = NewAnnouncer();
        var watcher = Online("watcher");

        Storm(announcer, i => "user" + i, 500, user => Online(user));

        Assert.HasCount(PresenceAnnouncer.ImmediatePerSecond, watcher.Frames, "the first events go out one by one, at once");
        time.Advance(PresenceAnnouncer.DigestWindow);

        Assert.HasCount(PresenceAnnouncer.ImmediatePerSecond + 1, watcher.Frames, "the rest come as one digest");
        var digest = watcher.Digest(^1);
        Assert.HasCount(PresenceDigest.MaxListed, digest.Events);
        Assert.AreEqual("user20", digest.Events[0].User, "oldest first");
        Assert.AreEqual(500 - PresenceAnnouncer.ImmediatePerSecond - PresenceDigest.MaxListed, digest.MoreLoggedIn);
        Assert.AreEqual(0, digest.MoreLoggedOut);
    }

    [TestMethod]
    public void ADigestLeavesOutTheRecipientsOwnLoginAndWhatCameBeforeIt()
    {
        using var announcer = NewAnnouncer();
        Storm(announcer, i => "early" + i, PresenceAnnouncer.ImmediatePerSecond, user => Online(user));
        var first = Online("first");
        announcer.Publish("first", PresenceKind.LoggedIn);
        var second = Online("second");
        announcer.Publish("second", PresenceKind.LoggedIn);
        announcer.Publish("early0", PresenceKind.LoggedOut);

        time.Advance(PresenceAnnouncer.DigestWindow);

        CollectionAssert.AreEqual(new[] { "second LoggedIn", "early0 LoggedOut" }, first.Digest(^1).Events.Select(Describe).ToArray());
        Assert.AreEqual("early0 LoggedOut", second.SinglePresence(), "a single remaining event goes as a plain Presence frame");
    }

    [TestMethod]
    public void ADigestLeavesOutUsersWhoBlockedTheRecipient()
    {
        using var announcer = NewAnnouncer();
        var bob = Online("bob");
        var carol = Online("carol");
        Storm(announcer, i => "early" + i, PresenceAnnouncer.ImmediatePerSecond, _ => { });
        blocks.Add("mallory", "bob");
        announcer.Publish("mallory", PresenceKind.LoggedIn);
        announcer.Publish("dave", PresenceKind.LoggedIn);
        announcer.Publish("erin", PresenceKind.LoggedIn);

        time.Advance(PresenceAnnouncer.DigestWindow);

        CollectionAssert.AreEqual(new[] { "dave LoggedIn", "erin LoggedIn" }, bob.Digest(^1).Events.Select(Describe).ToArray());
        CollectionAssert.AreEqual(new[] { "mallory LoggedIn", "dave LoggedIn", "erin LoggedIn" }, carol.Digest(^1).Events.Select(Describe).ToArray());
    }

    [TestMethod]
    public void DigestCountsLeaveOutHiddenEventsBeyondTheListedOnes()
    {
        using var announcer = NewAnnouncer();
        var bob = Online("bob");
        var carol = Online("carol");
        Storm(announcer, i => "early" + i, PresenceAnnouncer.ImmediatePerSecond, _ => { });
        blocks.Add("mallory", "bob");
        Storm(announcer, i => "u" + i, 15, _ => { });
        announcer.Publish("mallory", PresenceKind.LoggedIn);
        announcer.Publish("carol", PresenceKind.LoggedOut);
        announcer.Publish("v1", PresenceKind.LoggedIn);

        time.Advance(PresenceAnnouncer.DigestWindow);

        var forBob = bob.Digest(^1);
        Assert.AreEqual("u0", forBob.Events[0].User);
        Assert.AreEqual(6, forBob.MoreLoggedIn, "u10..u14 and v1; mallory blocked bob");
        Assert.AreEqual(1, forBob.MoreLoggedOut, "carol");
        var forCarol = carol.Digest(^1);
        Assert.AreEqual(7, forCarol.MoreLoggedIn, "u10..u14, mallory, v1");
        Assert.AreEqual(0, forCarol.MoreLoggedOut, "not told of her own logout");
    }

    [TestMethod]
    public void ALongStormSendsDigestsAtGrowingIntervalsAndNothingOneByOne()
    {
        using var announcer = NewAnnouncer();
        var watcher = Online("watcher");
        Storm(announcer, i => "early" + i, PresenceAnnouncer.ImmediatePerSecond, _ => { });
        var beforeStorm = watcher.Frames.Count;
        var window = PresenceAnnouncer.DigestWindow;
        var digests = 0;
        for (var step = 0; step < 6; step++)
        {
            // Events keep coming, and the rate limit refills meanwhile: still, none of them goes out on its own.
            announcer.Publish("user" + step, PresenceKind.LoggedIn);
            announcer.Publish("other" + step, PresenceKind.LoggedIn);
            Assert.HasCount(beforeStorm + digests, watcher.Frames, $"step {step}: nothing before the window ends");
            time.Advance(window);
            digests++;
            Assert.AreEqual(FrameType.PresenceDigest, watcher.Frames[^1].Type);
            window = window * 2 < PresenceAnnouncer.MaxDigestWindow ? window * 2 : PresenceAnnouncer.MaxDigestWindow;
        }

        Assert.AreEqual(PresenceAnnouncer.MaxDigestWindow, window, "the window grew to its cap");
        Assert.HasCount(beforeStorm + 6, watcher.Frames, "one frame per window for the whole storm");
    }

    [TestMethod]
    public void AfterAQuietWindowEventsGoOutAtOnceAgain()
    {
        using var announcer = NewAnnouncer();
        var watcher = Online("watcher");
        Storm(announcer, i => "user" + i, 30, _ => { });
        time.Advance(PresenceAnnouncer.DigestWindow);
        var framesAfterStorm = watcher.Frames.Count;

        time.Advance(PresenceAnnouncer.DigestWindow * 2); // a window without events ends the storm
        announcer.Publish("late", PresenceKind.LoggedIn);

        Assert.HasCount(framesAfterStorm + 1, watcher.Frames);
        Assert.AreEqual("late LoggedIn", Describe(watcher.Presence(^1)));
    }

    private static string Describe(PresenceEvent presence) => $"{presence.User} {presence.Kind}";
}
