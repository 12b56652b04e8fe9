using Messenger.Protocol.Contracts;
using Messenger.Server.Auth;
using Messenger.Server.Hosting;
using Messenger.Server.Tests.Cluster;
using Messenger.Server.Tests.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Messenger.Server.Tests.Auth;

/// <summary>A login whose lockout cannot be read or recorded (a cluster's PostgreSQL down) is answered, not dropped.</summary>
[TestClass]
public sealed class PasswordCheckStoreFailureTests
{
    [TestMethod]
    [DataRow(true, DisplayName = "reading the lockout fails")]
    [DataRow(false, DisplayName = "recording the verdict fails")]
    public async Task ALoginThatMeetsAStoreErrorIsAnsweredServerErrorAndTheConnectionStaysOpen(bool failOnRead)
    {
        var clock = new FakeTimeProvider();
        var check = new PasswordCheck(new ServerOptions(), new AnyPasswordCredentials("alice"), new FailingLockouts(failOnRead), NullLogger.Instance,
            new LoginRateLimiter(clock, attemptsPerAddressPerMinute: 60, failuresPerAddressAndUserPerMinute: 10));
        var link = new RecordingLink();

        var outcome = await check.CheckAsync(link, 7, "alice", AnyPasswordCredentials.Password, register: false);

        Assert.AreEqual(LoginOutcome.Refused, outcome);
        Assert.HasCount(1, link.Frames);
        Assert.AreEqual(7u, link.Frames[0].RequestId);
        Assert.AreEqual(StatusCode.ServerError, link.Response(0).Status);
        Assert.AreEqual(Reasons.ServerError, link.Response(0).Reason);
        Assert.IsTrue(link.IsOpen);
    }

    private sealed class FailingLockouts(bool failOnRead) : ILockouts
    {
        public ValueTask<bool> IsLockedAsync(string user) =>
            failOnRead ? ValueTask.FromException<bool>(new NpgsqlException("connection refused")) : ValueTask.FromResult(false);

        public ValueTask<LoginOutcome> ApplyAsync(string user, bool passwordCorrect) =>
            ValueTask.FromException<LoginOutcome>(new NpgsqlException("connection refused"));
    }
}
