namespace Messenger.Security;

/// <summary>
/// One user's secret as loaded from the credentials file. A classic password is kept only as its SHA-256 digest:
/// the plaintext is not held in memory, and hashing the stored side at load keeps its length out of login timing.
/// </summary>
internal sealed class StoredCredential
{
    private readonly PasswordHash? _hash;
    private readonly byte[]? _plainDigest;

    private StoredCredential(PasswordHash? hash, byte[]? plainDigest)
    {
        _hash = hash;
        _plainDigest = plainDigest;
    }

    /// <summary>The hash entry, or null for a classic plaintext password.</summary>
    public PasswordHash? Hash => _hash;

    public static StoredCredential FromHash(PasswordHash hash) => new(hash, null);

    public static StoredCredential FromPlain(string password) => new(null, PasswordHasher.PlainDigest(password));

    public bool Matches(string password)
        => _hash is not null ? _hash.Matches(password) : PasswordHasher.MatchesPlainDigest(password, _plainDigest);
}
