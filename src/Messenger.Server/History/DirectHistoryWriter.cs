using Messenger.Server.Storage;

namespace Messenger.Server.History;

/// <summary>
/// Keeps every accepted direct message in the conversation's history, written behind: queued for the group commit and
/// not awaited, so a delivery to an online recipient never waits for the disk (docs/ARCHITECTURE.md "Rooms and history").
/// </summary>
public sealed class DirectHistoryWriter(IDirectHistory store, WriteBehind writeBehind)
{
    public void Record(StoredMessage message) =>
        writeBehind.Run("keeping direct-message history", () => store.AppendDirectHistoryAsync(message));
}
