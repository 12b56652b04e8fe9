using Messenger.Protocol.Contracts;
using Messenger.Server.Guests;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Messenger.Server.Tests.Cluster;
using Messenger.Server.Tests.Sessions;

namespace Messenger.Server.Tests.Messaging;

/// <summary>A target check hands back the target's session here when it has one, so a send looks the name up once.</summary>
[TestClass]
public sealed class RequestRulesTargetTests
{
    private readonly SessionRegistry sessions = new();
    private readonly RequestRules rules;

    public RequestRulesTargetTests()
    {
        var credentials = new AnyPasswordCredentials("alice", "bob", "carol");
        rules = new RequestRules(credentials, new GuestNames(credentials), sessions);
    }

    private Session LogIn(string user)
    {
        var session = TestSessions.New(user);
        Assert.IsTrue(sessions.TryAdd(session));
        return session;
    }

    [TestMethod]
    public void AnOnlineTargetPassesWithItsSession()
    {
        var alice = LogIn("alice");
        var bob = LogIn("bob");
        Assert.IsNull(rules.CheckTarget(alice, "bob", "message", out var online));
        Assert.AreSame(bob, online);
    }

    [TestMethod]
    public void AnOfflineAccountPassesWithNoSession()
    {
        var alice = LogIn("alice");
        Assert.IsNull(rules.CheckTarget(alice, "carol", "message", out var online));
        Assert.IsNull(online);
    }

    [TestMethod]
    public void AnOnlineGuestPassesWithItsSession()
    {
        var alice = LogIn("alice");
        var guest = LogIn(GuestNames.Prefix + "7");
        Assert.IsNull(rules.CheckTarget(alice, guest.User, "message", out var online));
        Assert.AreSame(guest, online);
    }

    [TestMethod]
    public void TheRequesterItselfIsRefusedEvenThoughItIsOnline()
    {
        var alice = LogIn("alice");
        var refusal = rules.CheckTarget(alice, "alice", "message", out var online);
        Assert.AreEqual(StatusCode.BadRequest, refusal?.Status);
        Assert.IsNull(online);
    }

    [TestMethod]
    public void AnUnknownNameIsRefusedAsBefore()
    {
        var alice = LogIn("alice");
        Assert.AreEqual(StatusCode.NotFound, rules.CheckTarget(alice, "mallory", "message", out _)?.Status);
        Assert.AreEqual(StatusCode.NotFound, rules.CheckTarget(alice, GuestNames.Prefix + "9", "message", out _)?.Status, "a guest that left");
    }
}
