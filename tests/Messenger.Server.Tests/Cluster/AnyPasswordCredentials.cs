using Messenger.Server.Auth;

namespace Messenger.Server.Tests.Cluster;

/// <summary>Known users whose password is "right" (no hashing: these tests are about the cluster, not passwords).</summary>
public sealed class AnyPasswordCredentials(params string[] users) : ICredentialStore
{
    public const string Password = "right";

    public IReadOnlyCollection<string> Users { get; } = users;

    public bool Contains(string user) => users.Contains(user);

    public bool Verify(string user, string password) => Contains(user) && password == Password;

    public bool TryRegister(string user, string password) => false;
}
