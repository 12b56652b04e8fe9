using System.Globalization;

namespace Messenger.Client.Session;

/// <summary>How a message's send time is shown: the reader's local time, to the minute.</summary>
public static class SentTimes
{
    public static string Format(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The suffix of a message that waited for its reader: " (sent 2026-12-04 21:03)".</summary>
    public static string Suffix(long unixMilliseconds) => $" (sent {Format(unixMilliseconds)})";
}
