using Messenger.Server.Storage;
using Messenger.Server.Storage.Sqlite;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>The embedded store, in a data directory of its own that is deleted afterwards.</summary>
public sealed class SqliteBackend : IStoreBackend
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "messenger-store-test-" + Guid.NewGuid().ToString("N"));

    public Task<IServerStore> OpenAsync() => Task.FromResult<IServerStore>(SqliteStore.Open(dataDirectory));

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        return ValueTask.CompletedTask;
    }
}
