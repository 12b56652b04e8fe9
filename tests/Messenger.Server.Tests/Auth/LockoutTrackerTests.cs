using Messenger.Server.Auth;
using Messenger.Server.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Auth;

[TestClass]
public sealed class LockoutTrackerTests
{
    private readonly FakeTimeProvider clock = new();

    private LockoutTracker NewTracker(params LockoutRecord[] persisted) => new(clock, TimeSpan.FromSeconds(60), persisted);

    [TestMethod]
    public void ThirdWrongPasswordInARowLocksForTheBlockTime()
    {
        var tracker = NewTracker();
        Assert.AreEqual(LoginOutcome.WrongPassword, tracker.Apply("alice", false).Outcome);
        Assert.AreEqual(LoginOutcome.WrongPassword, tracker.Apply("alice", false).Outcome);
        var (outcome, changed) = tracker.Apply("alice", false);
        Assert.AreEqual(LoginOutcome.LockedOut, outcome);
        Assert.AreEqual(clock.GetUtcNow() + TimeSpan.FromSeconds(60), changed!.LockedUntil);
        Assert.IsTrue(tracker.IsLocked("alice"));
    }

    [TestMethod]
    public void CorrectPasswordWhileLockedIsRefusedAndNotCounted()
    {
        var tracker = NewTracker(new LockoutRecord("alice", 0, clock.GetUtcNow() + TimeSpan.FromSeconds(10)));
        var (outcome, changed) = tracker.Apply("alice", true);
        Assert.AreEqual(LoginOutcome.StillLockedOut, outcome);
        Assert.IsNull(changed, "An attempt while locked must not change (or extend) the lock.");
    }

    [TestMethod]
    public void LockEndsExactlyAtBlockTimeAndTheCountStartsAfresh()
    {
        var tracker = NewTracker();
        for (var i = 0; i < 3; i++)
        {
            tracker.Apply("bob", false);
        }
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.IsTrue(tracker.IsLocked("bob"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.IsFalse(tracker.IsLocked("bob"));
        Assert.AreEqual(LoginOutcome.WrongPassword, tracker.Apply("bob", false).Outcome, "After a lock the user has three fresh tries.");
        Assert.AreEqual(LoginOutcome.WrongPassword, tracker.Apply("bob", false).Outcome);
        Assert.AreEqual(LoginOutcome.LockedOut, tracker.Apply("bob", false).Outcome);
    }

    [TestMethod]
    public void SuccessResetsTheCountAndAsksToDeleteThePersistedRecord()
    {
        var tracker = NewTracker();
        tracker.Apply("carol", false);
        tracker.Apply("carol", false);
        var (outcome, changed) = tracker.Apply("carol", true);
        Assert.AreEqual(LoginOutcome.Accepted, outcome);
        Assert.AreEqual(new LockoutRecord("carol", 0, null), changed);
        Assert.AreEqual(LoginOutcome.WrongPassword, tracker.Apply("carol", false).Outcome);
    }

    [TestMethod]
    public void UsersAreCountedSeparately()
    {
        var tracker = NewTracker();
        tracker.Apply("a", false);
        tracker.Apply("a", false);
        Assert.AreEqual(LoginOutcome.WrongPassword, tracker.Apply("b", false).Outcome);
        Assert.IsFalse(tracker.IsLocked("a"));
    }

    [TestMethod]
    public void ConcurrentWrongGuessesCountExactlyThree()
    {
        var tracker = NewTracker();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<LoginOutcome>();
        Parallel.For(0, 64, _ => outcomes.Add(tracker.Apply("dave", false).Outcome));
        Assert.AreEqual(2, outcomes.Count(o => o == LoginOutcome.WrongPassword));
        Assert.AreEqual(1, outcomes.Count(o => o == LoginOutcome.LockedOut));
        Assert.AreEqual(61, outcomes.Count(o => o == LoginOutcome.StillLockedOut));
    }
}
