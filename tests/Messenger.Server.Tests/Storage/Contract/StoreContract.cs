using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>
/// The base of the store contract: every test runs once per engine (a concrete subclass per engine names the backend),
/// on a fresh store that it may close and reopen on the same data.
/// </summary>
public abstract class StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private TBackend backend = default!;
    private IServerStore? store;

    protected IServerStore Store => store ?? throw new InvalidOperationException("The store is closed.");

    [TestInitialize]
    public async Task OpenStoreAsync()
    {
        backend = new TBackend();
        store = await backend.OpenAsync();
    }

    [TestCleanup]
    public async Task CloseStoreAsync()
    {
        store?.Dispose();
        await backend.DisposeAsync();
    }

    /// <summary>Closes the store (committing what was queued) and opens the same data again.</summary>
    protected async Task<IServerStore> ReopenAsync()
    {
        store?.Dispose();
        store = null;
        store = await backend.OpenAsync();
        return store;
    }

    protected static StoredMessage Message(string sender, string recipient, long messageId, string text = "hi", int secondsAfterT0 = 0) =>
        new(0, sender, recipient, messageId, text, T0.AddSeconds(secondsAfterT0));
}
