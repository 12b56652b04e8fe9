using System.Security.Cryptography;
using System.Text;

namespace Messenger.Security;

/// <summary>
/// The server's credentials file: one <c>username password</c> line per user, the password either classic
/// plaintext (the COMP3331 format, so it cannot contain whitespace) or a <c>$pbkdf2-sha256$...</c> entry.
/// Blank lines and lines starting with '#' are ignored. A malformed line is reported as a
/// <see cref="CredentialsProblem"/> and skipped: it never becomes a user.
/// </summary>
public sealed class CredentialsFile
{
    /// <summary>How often <see cref="AppendUserAsync"/> tries to take the file's lock before giving up.</summary>
    public const int AppendLockAttempts = 5;

    /// <summary>Wait before the next lock attempt grows by this much each time (100, 200, ... ms: about 1 s in all).</summary>
    public static readonly TimeSpan AppendLockBackoff = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, StoredCredential> _users;

    // Stands in for an unknown user so that "no such user" costs about what a wrong password costs.
    private readonly StoredCredential _decoy;

    private CredentialsFile(Dictionary<string, StoredCredential> users, List<string> order, List<CredentialsProblem> problems, int plaintextCount, StoredCredential decoy)
    {
        _users = users;
        Users = order;
        Problems = problems;
        PlaintextCount = plaintextCount;
        _decoy = decoy;
    }

    /// <summary>The users taken from the file, in file order.</summary>
    public IReadOnlyList<string> Users { get; }

    /// <summary>The lines that were skipped, in file order.</summary>
    public IReadOnlyList<CredentialsProblem> Problems { get; }

    /// <summary>How many users have a classic plaintext password (the server warns about these at start-up).</summary>
    public int PlaintextCount { get; }

    public static CredentialsFile Load(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader);
    }

    public static CredentialsFile Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var users = new Dictionary<string, StoredCredential>(StringComparer.Ordinal);
        var firstLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        var problems = new List<CredentialsProblem>();
        var plaintext = 0;
        var maxIterations = 0;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }
            if (!TryParseLine(text, out var name, out var credential, out var error))
            {
                problems.Add(new CredentialsProblem(lineNumber, error));
                continue;
            }
            if (firstLines.TryGetValue(name, out var first))
            {
                problems.Add(new CredentialsProblem(lineNumber, $"duplicate user '{name}' (first defined on line {first}); this line is ignored"));
                continue;
            }
            firstLines.Add(name, lineNumber);
            users.Add(name, credential);
            order.Add(name);
            if (credential.Hash is { } hash)
            {
                maxIterations = Math.Max(maxIterations, hash.Iterations);
            }
            else
            {
                plaintext++;
            }
        }
        return new CredentialsFile(users, order, problems, plaintext, CreateDecoy(maxIterations));
    }

    public bool Contains(string user) => user is not null && _users.ContainsKey(user);

    /// <summary>
    /// Checks a login in constant time. An unknown user is checked against a decoy entry as costly as the most
    /// costly hashed entry, so response time does not tell which names exist (in a file mixing plaintext and
    /// hashed entries, plaintext users still answer faster: one more reason to hash them).
    /// </summary>
    public bool Verify(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        StoredCredential? credential = null;
        var known = user is not null && _users.TryGetValue(user, out credential);
        var matches = (credential ?? _decoy).Matches(password);
        return known && matches;
    }

    /// <summary>
    /// Appends a user in one attempt at the file's exclusive lock.
    /// </summary>
    /// <exception cref="ArgumentException">The name or password cannot be written as a valid line.</exception>
    /// <exception cref="InvalidOperationException">The user already exists.</exception>
    /// <exception cref="IOException">Another writer holds the file; <see cref="AppendUserAsync"/> waits and retries.</exception>
    public static void AppendUser(string path, string user, string encodedPasswordOrPlain)
    {
        var line = FormatLine(user, encodedPasswordOrPlain);
        if (!TryAppend(path, user, line, out var conflict))
        {
            throw LockedError(path, conflict);
        }
    }

    /// <summary>
    /// Appends a user, waiting (on <paramref name="timeProvider"/>, never blocking a thread) and retrying up to
    /// <see cref="AppendLockAttempts"/> times while another writer holds the file.
    /// </summary>
    /// <inheritdoc cref="AppendUser" path="/exception"/>
    public static async Task AppendUserAsync(string path, string user, string encodedPasswordOrPlain, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var line = FormatLine(user, encodedPasswordOrPlain);
        var time = timeProvider ?? TimeProvider.System;
        for (var attempt = 1; ; attempt++)
        {
            if (TryAppend(path, user, line, out var conflict))
            {
                return;
            }
            if (attempt == AppendLockAttempts)
            {
                throw LockedError(path, conflict);
            }
            await Task.Delay(AppendLockBackoff * attempt, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool TryParseLine(string text, out string name, out StoredCredential credential, out string error)
    {
        name = "";
        credential = null!;
        // Split on any whitespace: classic passwords cannot contain spaces, so a third field means a broken line.
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (!Protocol.UserNames.IsValid(fields[0]))
        {
            error = $"the user name must be {Protocol.UserNames.Description}";
            return false;
        }
        if (fields.Length == 1)
        {
            error = $"user '{fields[0]}' has no password";
            return false;
        }
        if (fields.Length > 2)
        {
            error = $"expected 'username password' but found {fields.Length} fields (passwords cannot contain whitespace)";
            return false;
        }
        name = fields[0];
        if (!TryParseSecret(fields[1], out credential, out error))
        {
            error = $"user '{name}': {error}";
            return false;
        }
        return true;
    }

    private static bool TryParseSecret(string secret, out StoredCredential credential, out string error)
    {
        credential = null!;
        if (PasswordHasher.IsHashEntry(secret))
        {
            if (!PasswordHash.TryParse(secret, out var hash, out var hashError))
            {
                error = $"bad password hash: {hashError}";
                return false;
            }
            credential = StoredCredential.FromHash(hash);
            error = "";
            return true;
        }
        if (LooksLikeOtherHashScheme(secret, out var scheme))
        {
            // Taking "$2b$..." as a plaintext password would let anyone who read the file log in with it.
            error = $"unsupported password hash scheme '{scheme}' (only {PasswordHash.Prefix} is supported)";
            return false;
        }
        credential = StoredCredential.FromPlain(secret);
        error = "";
        return true;
    }

    private static bool LooksLikeOtherHashScheme(string secret, out string scheme)
    {
        scheme = "";
        if (secret.Length < 3 || secret[0] != '$')
        {
            return false;
        }
        var end = secret.IndexOf('$', 1);
        if (end <= 1)
        {
            return false;
        }
        var id = secret.AsSpan(1, end - 1);
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }
        scheme = $"${id}$";
        return true;
    }

    private static StoredCredential CreateDecoy(int maxIterations)
    {
        if (maxIterations == 0)
        {
            return StoredCredential.FromPlain(Convert.ToBase64String(RandomNumberGenerator.GetBytes(PasswordHasher.HashLength)));
        }
        // A random "hash" that no password derives to (chance 2^-256), at the costliest count in the file.
        var decoy = new PasswordHash(maxIterations, RandomNumberGenerator.GetBytes(PasswordHasher.SaltLength), RandomNumberGenerator.GetBytes(PasswordHasher.HashLength));
        return StoredCredential.FromHash(decoy);
    }

    private static string FormatLine(string user, string encodedPasswordOrPlain)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(encodedPasswordOrPlain);
        if (!Protocol.UserNames.IsValid(user))
        {
            throw new ArgumentException($"The user name must be {Protocol.UserNames.Description}.", nameof(user));
        }
        if (encodedPasswordOrPlain.Length == 0 || encodedPasswordOrPlain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("A password in the credentials file must be non-empty, without whitespace or control characters.", nameof(encodedPasswordOrPlain));
        }
        if (!TryParseSecret(encodedPasswordOrPlain, out _, out var error))
        {
            throw new ArgumentException($"Cannot store this password: {error}.", nameof(encodedPasswordOrPlain));
        }
        return $"{user} {encodedPasswordOrPlain}\n";
    }

    /// <summary>
    /// One attempt: opens the file with an exclusive lock (FileShare.None, which .NET maps to flock on Unix),
    /// refuses a duplicate user, makes sure the last line is terminated, appends, and flushes to disk.
    /// </summary>
    private static bool TryAppend(string path, string user, string line, out IOException? conflict)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, SecureFile.CreateOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            // What is left of IOException at open time is the lock being held by someone else.
            conflict = ex;
            return false;
        }
        using (stream)
        {
            conflict = null;
            var needsNewline = false;
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                needsNewline = stream.ReadByte() != '\n';
                stream.Seek(0, SeekOrigin.Begin);
                using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
                if (Parse(reader).Contains(user))
                {
                    throw new InvalidOperationException($"User '{user}' already exists in '{path}'.");
                }
            }
            stream.Seek(0, SeekOrigin.End);
            var bytes = Encoding.UTF8.GetBytes(needsNewline ? "\n" + line : line);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            return true;
        }
    }

    private static IOException LockedError(string path, IOException? conflict)
        => new($"The credentials file '{path}' is locked by another writer; try again.", conflict);
}
