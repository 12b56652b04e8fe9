using Messenger.Server.Hosting;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.History;

/// <summary>
/// Applies the direct-message history's retention (<see cref="ServerOptions.DirectHistoryRetention"/> and
/// <see cref="ServerOptions.DirectHistoryMaxPerConversation"/>) at start and then hourly, from the server's sweep; and
/// the operator's purge of one user's history. Room history is kept until the operator removes the room.
/// </summary>
public sealed class HistoryRetention(ServerOptions options, TimeProvider time, IDirectHistory store, ILogger logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private DateTimeOffset? lastTrim;

    /// <summary>Trims when an hour has passed since the last trim (the sweep's one caller never runs it twice at once).</summary>
    public async Task TrimIfDueAsync()
    {
        var now = time.GetUtcNow();
        if (lastTrim is { } last && now - last < Interval)
        {
            return;
        }
        lastTrim = now;
        var removed = await store.TrimDirectHistoryAsync(now - options.DirectHistoryRetention, options.DirectHistoryMaxPerConversation);
        if (removed > 0)
        {
            logger.LogInformation("Direct-message history: {Count} messages past the retention removed", removed);
        }
    }

    /// <summary>Deletes every direct conversation of <paramref name="user"/>; returns how many messages went.</summary>
    public async Task<int> PurgeAsync(string user) => await store.PurgeDirectHistoryAsync(user);
}
