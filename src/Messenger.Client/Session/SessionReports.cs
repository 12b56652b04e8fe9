using System.Globalization;
using Messenger.Client.Peers;
using Messenger.Client.Ui;
using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Session;

/// <summary>The lines of `privates` and `version`: what this client knows about its sessions and about itself.</summary>
public static class SessionReports
{
    public static string ClientVersion => ProductVersion.Of(typeof(SessionReports).Assembly);

    /// <summary>One line per open private session: since when (local time, and how long), and texts each way.</summary>
    public static IEnumerable<string> Privates(IReadOnlyList<PeerSession> open, DateTimeOffset now)
    {
        if (open.Count == 0)
        {
            yield return "No private sessions are open.";
            yield break;
        }
        yield return $"{open.Count} private session{(open.Count == 1 ? "" : "s")}:";
        foreach (var session in open)
        {
            var since = session.StartedAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            yield return $"  {TextSanitizer.Escape(session.PeerUser),-16} since {since} ({Duration(now - session.StartedAt)}), " +
                $"{session.MessagesSent} sent, {session.MessagesReceived} received";
        }
    }

    /// <param name="pinnedKey">The key TLS verified (null in plaintext mode: then only the server's own word is shown).</param>
    public static IEnumerable<string> Version(VersionInfo server, string? pinnedKey)
    {
        yield return $"client   MessengerSuite {ClientVersion} (protocol {FrameHeader.CurrentVersion})";
        yield return $"server   MessengerSuite {TextSanitizer.Escape(server.ServerVersion)} (protocol {server.ProtocolVersion})";
        yield return pinnedKey is not null
            ? $"server key SHA-256 {pinnedKey} (pinned, checked on every connection)"
            : $"server key SHA-256 {TextSanitizer.Escape(server.ServerKey ?? "(none)")} (as the server states it: without TLS nothing checks it)";
    }

    private static string Duration(TimeSpan elapsed) => elapsed.TotalHours >= 1
        ? $"{(int)elapsed.TotalHours} h {elapsed.Minutes} min"
        : elapsed.TotalMinutes >= 1 ? $"{(int)elapsed.TotalMinutes} min {elapsed.Seconds} s" : $"{Math.Max(0, elapsed.Seconds)} s";
}
