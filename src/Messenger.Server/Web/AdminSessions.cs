using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Messenger.Server.Web;

/// <summary>
/// Dashboard sessions: a random id in an HttpOnly, SameSite=Strict cookie (Secure under TLS), each with its own CSRF
/// token that every state-changing request must echo in a header. Kept in memory: a restart logs operators out.
/// </summary>
public sealed class AdminSessions(TimeProvider time)
{
    public const string CookieName = "messenger_admin";
    public const string CsrfHeader = "X-CSRF-Token";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, AdminSession> sessions = new(StringComparer.Ordinal);

    public AdminSession Create(string user)
    {
        var session = new AdminSession(Token(), user, Token(), time.GetUtcNow() + Lifetime);
        sessions[session.Id] = session;
        return session;
    }

    public AdminSession? Find(string? id)
    {
        if (id is null || !sessions.TryGetValue(id, out var session))
        {
            return null;
        }
        if (session.ExpiresAt <= time.GetUtcNow())
        {
            sessions.TryRemove(id, out _);
            return null;
        }
        return session;
    }

    public void End(string id) => sessions.TryRemove(id, out _);

    /// <summary>Constant-time comparison, so the token cannot be guessed byte by byte from response times.</summary>
    public static bool CsrfMatches(AdminSession session, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(session.CsrfToken), System.Text.Encoding.ASCII.GetBytes(presented));

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

public sealed record AdminSession(string Id, string User, string CsrfToken, DateTimeOffset ExpiresAt);
