using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Server.Tests.Cluster;

/// <summary>
/// A login that passed the password and the claim check but cannot be recorded (PostgreSQL fails while the claim is
/// committed) is answered `server_error`: the connection stays open, nobody hears of the login, and it can try again.
/// </summary>
[TestClass]
public sealed class ClusterLoginStoreFailureTests
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    [TestMethod]
    public async Task ALoginWhoseClaimCannotBeRecordedIsAnsweredServerErrorAnnouncedToNobodyAndTheSameConnectionLogsInAfter()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var carol = await cluster.LoginAsync("carol", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        var link = new WatchedLink();

        cluster.Record.FailClaims = true;
        var refused = await cluster["n1"].Logins.LoginAsync(link, 1, new LoginRequest("alice", AnyPasswordCredentials.Password));
        var answer = await link.ExpectAsync(FrameType.Response, Json.Response);

        Assert.IsNull(refused);
        Assert.AreEqual(StatusCode.ServerError, answer.Status);
        Assert.AreEqual(Reasons.ServerError, answer.Reason);
        Assert.IsTrue(link.IsOpen);
        Assert.IsNull(cluster["n1"].Sessions.Find("alice"));

        cluster.Record.FailClaims = false;
        var session = await cluster["n1"].Logins.LoginAsync(link, 2, new LoginRequest("alice", AnyPasswordCredentials.Password));
        await link.ExpectAsync(FrameType.LoginAccepted, Json.LoginAccepted);
        await bob.PresenceAsync("alice", PresenceKind.LoggedIn);
        await carol.PresenceAsync("alice", PresenceKind.LoggedIn);

        Assert.IsNotNull(session);
        Assert.AreEqual(1, bob.Link.All(FrameType.Presence, Json.PresenceEvent).Count(p => p.User == "alice"));
        Assert.AreEqual(1, carol.Link.All(FrameType.Presence, Json.PresenceEvent).Count(p => p.User == "alice"));
    }
}
