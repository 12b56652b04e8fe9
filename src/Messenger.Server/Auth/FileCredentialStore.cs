using Messenger.Security;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Auth;

/// <summary>
/// The credentials file (classic `user password` lines and PBKDF2 hashes, parsed by Messenger.Security's
/// <see cref="CredentialsFile"/>). Malformed lines are reported with their line number and skipped; plaintext
/// entries are warned about. Registration appends a hashed line and swaps in the re-read file.
/// </summary>
public sealed class FileCredentialStore : ICredentialStore
{
    private readonly string path;
    private readonly ILogger logger;
    private readonly Lock registerGate = new();
    private volatile CredentialsFile file;

    private FileCredentialStore(string path, CredentialsFile file, ILogger logger)
    {
        this.path = path;
        this.file = file;
        this.logger = logger;
    }

    /// <summary>Reads the file; throws FileNotFoundException when it does not exist.</summary>
    public static FileCredentialStore Load(string path, ILogger logger)
    {
        var file = CredentialsFile.Load(path);
        foreach (var problem in file.Problems)
        {
            logger.LogWarning("{Path} line {Line}: {Problem}; the line is skipped", path, problem.LineNumber, problem.Message);
        }
        if (file.PlaintextCount > 0)
        {
            logger.LogWarning("{Path} holds {Count} plaintext password(s); hash them with 'server hash-password'", path, file.PlaintextCount);
        }
        return new FileCredentialStore(path, file, logger);
    }

    public IReadOnlyCollection<string> Users => file.Users;

    public bool Contains(string user) => file.Contains(user);

    public bool Verify(string user, string password) => file.Verify(user, password);

    public bool TryRegister(string user, string password)
    {
        lock (registerGate)
        {
            if (file.Contains(user))
            {
                return false;
            }
            CredentialsFile.AppendUser(path, user, PasswordHasher.Hash(password));
            file = CredentialsFile.Load(path);
            logger.LogInformation("Appended account {User} to {Path}", user, path);
            return file.Contains(user);
        }
    }
}
