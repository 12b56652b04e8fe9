using Messenger.Server.Auth;

namespace Messenger.Server.Guests;

/// <summary>
/// Guest names: `guest` logs in as `guest-&lt;n&gt;`, n counting up for the server's run, so two guests never share a
/// name and a name is not handed out twice while anything (a block, a private session) may still refer to it.
/// A name is a guest's when it has the prefix and is no account; sign-up may not take the prefix. In a cluster the
/// numbers come from the shared record (<see cref="SharedNumbers"/>), so no two nodes hand out the same name.
/// </summary>
public sealed class GuestNames(ICredentialStore credentials)
{
    /// <summary>The user name that asks for a guest session (with an empty password).</summary>
    public const string LoginName = "guest";

    public const string Prefix = "guest-";

    private long next;

    /// <summary>Cluster mode: where the numbers come from (set once at start); null on a single node, which counts for itself.</summary>
    public Func<CancellationToken, Task<long>>? SharedNumbers { get; set; }

    /// <summary>A guest login: the name `guest`, no password, on a server where `guest` is no account.</summary>
    public bool IsGuestLogin(string user, string? password) => user == LoginName && string.IsNullOrEmpty(password) && !credentials.Contains(LoginName);

    /// <summary>The next free guest name (skips accounts that happen to be called guest-n).</summary>
    public async Task<string> NextAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var number = SharedNumbers is { } shared ? await shared(cancellationToken) : Interlocked.Increment(ref next);
            var name = Prefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!credentials.Contains(name))
            {
                return name;
            }
        }
    }

    /// <summary>True for a guest's name, online or gone: nothing is ever stored for it.</summary>
    public bool IsGuest(string user) => user.StartsWith(Prefix, StringComparison.Ordinal) && !credentials.Contains(user);

    /// <summary>Names sign-up may not create, so an account can never be mistaken for a guest or the guest login.</summary>
    public static bool IsReserved(string user) => user == LoginName || user.StartsWith(Prefix, StringComparison.Ordinal);
}
