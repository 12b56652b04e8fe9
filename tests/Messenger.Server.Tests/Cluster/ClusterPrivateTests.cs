using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;

namespace Messenger.Server.Tests.Cluster;

/// <summary>startprivate and its consent between users of different nodes, in process on a fake clock.</summary>
[TestClass]
public sealed class ClusterPrivateTests
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    [TestMethod]
    public async Task StartPrivateWithAUserOfAnotherNodeGrantsThePeersEndpointAndAClusterTicketNamingBoth()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        await cluster.LoginAsync("bob", "n2");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);

        await StartAsync(alice, "bob");

        var grant = await alice.Link.ExpectAsync(FrameType.PrivateGrant, Json.PrivateGrant);
        Assert.AreEqual("bob", grant.User);
        Assert.AreEqual(InProcessCluster.PeerPortOf("bob"), grant.Port);
        Assert.AreEqual(InProcessCluster.PeerKeyOf("bob"), grant.PeerFingerprint);
        AssertTicketNames(cluster, grant.Ticket, TicketPurposes.Private, "alice", "bob");
    }

    [TestMethod]
    public async Task AUserInAskModeOnAnotherNodeIsAskedAndItsAcceptReachesTheRequesterWithAGrant()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var (alice, bob) = await AliceAsksBobAcrossNodesAsync(cluster);

        Assert.AreEqual("bob", (await alice.Link.ExpectAsync(FrameType.PrivatePending, Json.PrivatePending)).User);
        await bob.RequestAsync(FrameType.AnswerPrivate, new AnswerPrivateRequest("alice", Accept: true), Json.AnswerPrivateRequest);
        var consent = await alice.Link.ExpectAsync(FrameType.PrivateConsent, Json.PrivateConsent);
        Assert.AreEqual(ConsentOutcome.Accepted, consent.Outcome);
        Assert.AreEqual(InProcessCluster.PeerPortOf("bob"), consent.Grant!.Port);
        AssertTicketNames(cluster, consent.Grant.Ticket, TicketPurposes.Private, "alice", "bob");
        Assert.AreEqual(0, cluster["n2"].PrivateSessions.PendingRequests);
    }

    [TestMethod]
    public async Task ADeclineOnAnotherNodeReachesTheRequesterWithoutAGrant()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var (alice, bob) = await AliceAsksBobAcrossNodesAsync(cluster);

        await bob.RequestAsync(FrameType.AnswerPrivate, new AnswerPrivateRequest("alice", Accept: false), Json.AnswerPrivateRequest);

        var consent = await alice.Link.ExpectAsync(FrameType.PrivateConsent, Json.PrivateConsent);
        Assert.AreEqual(ConsentOutcome.Declined, consent.Outcome);
        Assert.IsNull(consent.Grant);
    }

    [TestMethod]
    public async Task ARequestAcrossNodesLeftUnansweredEndsAfterSixtySecondsForBothSides()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var (alice, bob) = await AliceAsksBobAcrossNodesAsync(cluster);

        // The nodes sweep meanwhile (heartbeats): a node whose clock ran on without one would have lost its lease.
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.IsEmpty(alice.Link.All(FrameType.PrivateConsent, Json.PrivateConsent));
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.AreEqual(ConsentOutcome.NoAnswer, (await alice.Link.ExpectAsync(FrameType.PrivateConsent, Json.PrivateConsent)).Outcome);
        await bob.Link.ExpectAsync(FrameType.Notice, Json.Notice, n => n.Text.Contains("no answer", StringComparison.Ordinal));
        Assert.AreEqual(0, cluster["n2"].PrivateSessions.PendingRequests);
    }

    [TestMethod]
    public async Task ARequesterLoggingOutOnItsNodeEndsItsRequestOnTheTargetsNodeAndTheTargetIsTold()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var (alice, bob) = await AliceAsksBobAcrossNodesAsync(cluster);

        await cluster["n1"].Lifecycle.LogoutAsync(alice.Session, alice.Link, 9);

        await bob.Link.ExpectAsync(FrameType.Notice, Json.Notice, n => n.Text.Contains("alice left", StringComparison.Ordinal));
        Assert.AreEqual(0, cluster["n2"].PrivateSessions.PendingRequests);
    }

    [TestMethod]
    public async Task AUserOfAnotherNodeWhoBlockedTheRequesterRefusesStartPrivateAndIsNotAsked()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await bob.RequestAsync(FrameType.SetPrivateMode, new PrivateModeRequest(PrivateMode.Ask), Json.PrivateModeRequest);
        await bob.BlockAsync("alice");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);

        await StartAsync(alice, "bob");

        Assert.AreEqual(Reasons.BlockedByRecipient, (await alice.RefusalAsync()).Reason);
        Assert.IsEmpty(bob.Link.All(FrameType.PrivateRequested, Json.PrivateRequested));
    }

    [TestMethod]
    public async Task AskModeSetOnOneNodeStillHoldsAfterTheUserResumesOnAnotherNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await bob.RequestAsync(FrameType.SetPrivateMode, new PrivateModeRequest(PrivateMode.Ask), Json.PrivateModeRequest);
        var (moved, _) = await cluster.ResumeAsync(bob, "n3");
        Assert.IsNotNull(moved);
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);
        await alice.SendAsync("bob", 1, "barrier"); // delivered on n3: n1 has heard of the move
        await moved.ReceiveAsync("alice", 1);

        await StartAsync(alice, "bob");

        await alice.Link.ExpectAsync(FrameType.PrivatePending, Json.PrivatePending);
        await moved.Link.ExpectAsync(FrameType.PrivateRequested, Json.PrivateRequested, r => r.From == "alice");
    }

    [TestMethod]
    public async Task StartPrivateWithAUserOfANodeThatStoppedAnsweringIsAnsweredOfflineAfterTheTakeoverTimeout()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        await cluster.LoginAsync("bob", "n2");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);
        cluster.Kill("n2");

        await StartAsync(alice, "bob");
        Assert.IsEmpty(alice.Link.All(FrameType.Response, Json.Response), "waiting for n2");
        cluster.Clock.Advance(InProcessCluster.Settings.TakeoverTimeout);

        Assert.AreEqual(Reasons.Offline, (await alice.RefusalAsync()).Reason);
    }

    /// <summary>alice on n1 asks bob on n2, who is in privatemode ask; returns once bob was asked (with the 60 s answer time).</summary>
    private static async Task<(TestUser Alice, TestUser Bob)> AliceAsksBobAcrossNodesAsync(InProcessCluster cluster)
    {
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await bob.RequestAsync(FrameType.SetPrivateMode, new PrivateModeRequest(PrivateMode.Ask), Json.PrivateModeRequest);
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);
        await StartAsync(alice, "bob");
        Assert.AreEqual(60, (await bob.Link.ExpectAsync(FrameType.PrivateRequested, Json.PrivateRequested, r => r.From == "alice")).TimeoutSeconds);
        return (alice, bob);
    }

    private static Task StartAsync(TestUser requester, string target) =>
        requester.RequestAsync(FrameType.StartPrivate, new StartPrivateRequest(target), Json.StartPrivateRequest);

    /// <summary>The ticket verifies against the cluster's one key and names both users and both keys.</summary>
    internal static void AssertTicketNames(InProcessCluster cluster, string ticket, string purpose, string initiator, string responder)
    {
        var result = new TicketValidator(InProcessCluster.TicketKey, cluster.Clock).Validate(ticket, new TicketExpectation
        {
            Purpose = purpose,
            Initiator = initiator,
            Responder = responder,
            InitiatorFingerprint = InProcessCluster.PeerKeyOf(initiator),
            ResponderFingerprint = InProcessCluster.PeerKeyOf(responder),
        });
        Assert.AreEqual(TicketStatus.Valid, result.Status, result.Message);
    }
}
