using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>An engine the store contract runs against: a fresh, empty store per test, reopened on the same data.</summary>
public interface IStoreBackend : IAsyncDisposable
{
    /// <summary>Opens the store on this test's data (the same data on every call).</summary>
    Task<IServerStore> OpenAsync();
}
