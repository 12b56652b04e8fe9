using Messenger.Server.Sessions;

namespace Messenger.Server.Tests.Sessions;

/// <summary>A session on a <see cref="RecordingLink"/>, for tests of a session's own bookkeeping.</summary>
public static class TestSessions
{
    public static Session New(string user = "bob") =>
        new(user, "token-" + user, new RecordingLink(), DateTimeOffset.UnixEpoch, new TokenBucket(TimeProvider.System, 10, guardedByCaller: true));
}
