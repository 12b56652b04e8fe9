namespace Messenger.Server.Connections;

/// <summary>
/// What happens when a client reads slower than frames are queued for it. There is one policy, named so that logs,
/// metrics and tests can refer to it: when the connection's bounded queue is full, that one connection is aborted
/// with reason `slow_consumer`; its unacknowledged messages go to the offline store; nobody else waits.
/// </summary>
public static class SlowConsumerPolicy
{
    public const string Name = "disconnect-when-queue-full";
}
