using Messenger.Server.Storage;
using Messenger.Server.Storage.Sqlite;

namespace Messenger.Server.Tests.Storage.Sqlite;

/// <summary>Gives each test its own data directory with an open <see cref="SqliteStore"/>, deleted afterwards.</summary>
public abstract class SqliteStoreTestBase
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private SqliteStore? store;

    protected string DataDirectory { get; private set; } = null!;

    protected string DatabasePath => Path.Combine(DataDirectory, SqliteStore.FileName);

    protected SqliteStore Store => store ?? throw new InvalidOperationException("The store is closed.");

    [TestInitialize]
    public void OpenStore()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "messenger-store-test-" + Guid.NewGuid().ToString("N"));
        store = SqliteStore.Open(DataDirectory);
    }

    [TestCleanup]
    public void DeleteDirectory()
    {
        store?.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Closes the store (committing what was queued) and opens the same file again.</summary>
    protected SqliteStore Reopen()
    {
        store?.Dispose();
        store = SqliteStore.Open(DataDirectory);
        return store;
    }

    protected static StoredMessage Message(string sender, string recipient, long messageId, string text = "hi", int secondsAfterT0 = 0) =>
        new(0, sender, recipient, messageId, text, T0.AddSeconds(secondsAfterT0));

    /// <summary>Closes the store for good, so the test can work on the file itself.</summary>
    protected void Close()
    {
        store?.Dispose();
        store = null;
    }
}
