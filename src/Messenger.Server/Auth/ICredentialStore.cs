namespace Messenger.Server.Auth;

/// <summary>Who may log in. The file-backed implementation reads credentials.txt; tests may use a fixed list.</summary>
public interface ICredentialStore
{
    bool Contains(string user);

    /// <summary>Checks a password in constant time (for the comparison; hashing costs what it costs).</summary>
    bool Verify(string user, string password);

    /// <summary>Every known user name (for "Invalid user" checks on messages).</summary>
    IReadOnlyCollection<string> Users { get; }

    /// <summary>Creates an account (only when registration is enabled); false when the name exists.</summary>
    bool TryRegister(string user, string password);
}
