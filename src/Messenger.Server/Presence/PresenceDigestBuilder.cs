using Messenger.Server.Dispatch;
using Messenger.Protocol.Contracts;
using Messenger.Server.Messaging;

namespace Messenger.Server.Presence;

/// <summary>
/// Encodes one batch of presence events for each recipient. Listing takes at most <see cref="PresenceDigest.MaxListed"/>
/// steps past the hidden events, and the counts of the rest come from suffix sums minus the few hidden users' own
/// events, so a digest costs O(listed) per recipient, not O(events): a storm window holds thousands of events, and
/// thousands of recipients need a frame of their own (everyone who logged in during it).
/// </summary>
internal sealed class PresenceDigestBuilder
{
    private readonly List<PresenceEvent> events;
    private readonly BlockList blocks;
    private readonly int[] loginsFrom;
    private readonly int[] logoutsFrom;
    private readonly Dictionary<string, List<int>> positionsByUser = new(StringComparer.Ordinal);
    private readonly List<string> usersWhoBlock = [];

    public PresenceDigestBuilder(List<PresenceEvent> events, BlockList blocks)
    {
        this.events = events;
        this.blocks = blocks;
        loginsFrom = new int[events.Count + 1];
        logoutsFrom = new int[events.Count + 1];
        for (var i = events.Count - 1; i >= 0; i--)
        {
            var login = events[i].Kind == PresenceKind.LoggedIn;
            loginsFrom[i] = loginsFrom[i + 1] + (login ? 1 : 0);
            logoutsFrom[i] = logoutsFrom[i + 1] + (login ? 0 : 1);
        }
        for (var i = 0; i < events.Count; i++)
        {
            var user = events[i].User;
            if (!positionsByUser.TryGetValue(user, out var positions))
            {
                positionsByUser[user] = positions = [];
                if (blocks.HasAnyBlocks(user))
                {
                    usersWhoBlock.Add(user);
                }
            }
            positions.Add(i);
        }
    }

    /// <summary>
    /// Recipients who need a frame of their own: those named in the events, and those blocked by someone named.
    /// Everyone else gets <see cref="EncodeForEveryone"/>.
    /// </summary>
    public HashSet<string> RecipientsWithOwnFrame()
    {
        var own = new HashSet<string>(positionsByUser.Keys, StringComparer.Ordinal);
        foreach (var user in usersWhoBlock)
        {
            own.UnionWith(blocks.BlockedBy(user));
        }
        return own;
    }

    public byte[] EncodeForEveryone() => Encode(0, []) ?? throw new InvalidOperationException("A batch has at least one event.");

    /// <summary>
    /// What <paramref name="recipient"/> may see: not its own events, not what happened before its own login in this
    /// batch (it was not online then), not users who blocked it. Null when nothing is left.
    /// </summary>
    public byte[]? EncodeFor(string recipient)
    {
        List<string> hidden = [recipient];
        foreach (var user in usersWhoBlock)
        {
            if (blocks.IsBlocked(user, recipient))
            {
                hidden.Add(user);
            }
        }
        var start = 0;
        if (positionsByUser.TryGetValue(recipient, out var own))
        {
            for (var i = own.Count - 1; i >= 0; i--)
            {
                if (events[own[i]].Kind == PresenceKind.LoggedIn)
                {
                    start = own[i] + 1;
                    break;
                }
            }
        }
        return Encode(start, hidden);
    }

    private byte[]? Encode(int start, List<string> hidden)
    {
        var listed = new List<PresenceEvent>(PresenceDigest.MaxListed);
        var next = start;
        for (; next < events.Count && listed.Count < PresenceDigest.MaxListed; next++)
        {
            if (!hidden.Contains(events[next].User))
            {
                listed.Add(events[next]);
            }
        }
        var moreLoggedIn = loginsFrom[next];
        var moreLoggedOut = logoutsFrom[next];
        foreach (var user in hidden)
        {
            foreach (var position in positionsByUser.GetValueOrDefault(user) ?? [])
            {
                if (position >= next)
                {
                    moreLoggedIn -= events[position].Kind == PresenceKind.LoggedIn ? 1 : 0;
                    moreLoggedOut -= events[position].Kind == PresenceKind.LoggedOut ? 1 : 0;
                }
            }
        }
        if (moreLoggedIn + moreLoggedOut == 0)
        {
            return listed.Count switch
            {
                0 => null,
                1 => ServerFrames.Presence(listed[0]),
                _ => ServerFrames.PresenceDigest(new PresenceDigest([.. listed], 0, 0)),
            };
        }
        return ServerFrames.PresenceDigest(new PresenceDigest([.. listed], moreLoggedIn, moreLoggedOut));
    }
}
