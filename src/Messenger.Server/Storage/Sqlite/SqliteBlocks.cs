using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary><see cref="IBlockStore"/> on the <c>blocks</c> table.</summary>
internal sealed class SqliteBlocks : IBlockStore
{
    private readonly SqliteDatabase database;
    private readonly SqliteCommand add;
    private readonly SqliteCommand remove;
    private readonly SqliteCommand load;

    public SqliteBlocks(SqliteDatabase database)
    {
        this.database = database;
        add = database.Prepare("INSERT OR IGNORE INTO blocks (blocker, blocked) VALUES ($blocker, $blocked);", "$blocker", "$blocked");
        remove = database.Prepare("DELETE FROM blocks WHERE blocker = $blocker AND blocked = $blocked;", "$blocker", "$blocked");
        load = database.Prepare("SELECT blocker, blocked FROM blocks ORDER BY blocker, blocked;");
    }

    public ValueTask AddBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default) =>
        Write(add, blocker, blocked, cancellationToken);

    public ValueTask RemoveBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default) =>
        Write(remove, blocker, blocked, cancellationToken);

    private ValueTask Write(SqliteCommand command, string blocker, string blocked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocker);
        ArgumentNullException.ThrowIfNull(blocked);
        return database.Write(command, [("$blocker", blocker), ("$blocked", blocked)], cancellationToken);
    }

    public ValueTask<IReadOnlyList<BlockEntry>> LoadBlocksAsync(CancellationToken cancellationToken = default) =>
        database.RunOnWriter<IReadOnlyList<BlockEntry>>(
            () => load.ReadAll(reader => new BlockEntry(reader.GetString(0), reader.GetString(1))), cancellationToken);
}
