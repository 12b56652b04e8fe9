using Messenger.Protocol.Contracts;
using Messenger.Protocol.Transport;
using Messenger.Server.Sessions;

namespace Messenger.Server.Presence;

/// <summary>
/// Tells online users when someone logs in or out. Up to <see cref="ImmediatePerSecond"/> events a second go out at
/// once, one <c>Presence</c> frame each. Faster than that (a login storm: every client reconnecting after a restart),
/// the storm's events are gathered and every online user gets one <c>PresenceDigest</c> per window: the first window
/// is <see cref="DigestWindow"/>, each further one twice as long up to <see cref="MaxDigestWindow"/>, and the storm
/// ends with the first window without events. That turns N logins from N² frames into a few per user, and spares
/// people a wall of "logged in" lines nobody reads.
/// </summary>
public sealed class PresenceAnnouncer : IDisposable
{
    public const int ImmediatePerSecond = 20;

    public static readonly TimeSpan DigestWindow = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxDigestWindow = TimeSpan.FromSeconds(2);

    private readonly SessionRegistry sessions;
    private readonly BlockList blocks;
    private readonly TokenBucket immediate;
    private readonly ITimer flushTimer;
    private readonly Lock gate = new();
    private List<PresenceEvent> pending = [];
    private TimeSpan window = DigestWindow;
    private bool storm;

    public PresenceAnnouncer(TimeProvider time, SessionRegistry sessions, BlockList blocks)
    {
        this.sessions = sessions;
        this.blocks = blocks;
        immediate = new TokenBucket(time, ImmediatePerSecond);
        flushTimer = time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Publish(string user, PresenceKind kind)
    {
        var presence = new PresenceEvent(user, kind);
        lock (gate)
        {
            // During a storm every event joins the digest (none overtakes it), even when the rate allows one more.
            if (storm || !immediate.TryTake())
            {
                pending.Add(presence);
                if (!storm)
                {
                    storm = true;
                    window = DigestWindow;
                    flushTimer.Change(window, Timeout.InfiniteTimeSpan);
                }
                return;
            }
        }
        Announce([presence]);
    }

    public void Dispose() => flushTimer.Dispose();

    private void Flush()
    {
        List<PresenceEvent> events;
        lock (gate)
        {
            events = pending;
            pending = [];
            if (events.Count == 0)
            {
                storm = false; // A quiet window: events go out one by one again.
                return;
            }
            // Still stormy: wait longer for the next digest, so a long storm costs each user a few frames, not one per window.
            window = window * 2 < MaxDigestWindow ? window * 2 : MaxDigestWindow;
            flushTimer.Change(window, Timeout.InfiniteTimeSpan);
        }
        Announce(events);
    }

    /// <summary>
    /// Sends <paramref name="events"/> to every online user. Most get the same frame, encoded once; a user named in
    /// the events, or blocked by someone named in them, gets a frame of its own without what it must not see.
    /// </summary>
    private void Announce(List<PresenceEvent> events)
    {
        var digest = new PresenceDigestBuilder(events, blocks);
        var shared = digest.EncodeForEveryone();
        var ownFrame = digest.RecipientsWithOwnFrame();
        foreach (var session in sessions.All)
        {
            if (session.Link is not { } link)
            {
                continue;
            }
            var frame = ownFrame.Contains(session.User) ? digest.EncodeFor(session.User) : shared;
            if (frame is not null)
            {
                link.TrySend(frame, OutboundLane.Bulk); // A digest of many changes: behind answers to requests.
            }
        }
    }
}
