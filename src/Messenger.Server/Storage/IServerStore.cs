namespace Messenger.Server.Storage;

/// <summary>
/// What must survive a restart: offline messages, login history, block lists, lockouts, rooms and their messages,
/// direct-message history, user settings.
/// The server keeps in-memory mirrors of everything but offline messages and writes through;
/// an implementation must have committed durably when a returned task completes.
/// SQLite is the engine today (<see cref="Sqlite.SqliteStore"/>); this seam lets a server-grade engine replace it.
/// </summary>
public interface IServerStore : IMailboxStore, IPresenceHistory, IBlockStore, ILockoutStore, IRoomStore, IRoomLog, IDirectHistory, IUserSettingsStore,
    IDisposable;
