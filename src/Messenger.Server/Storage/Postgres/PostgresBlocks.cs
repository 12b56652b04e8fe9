using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary><see cref="IBlockStore"/> on the <c>blocks</c> table.</summary>
internal sealed class PostgresBlocks(NpgsqlDataSource dataSource) : IBlockStore
{
    public ValueTask AddBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocker);
        ArgumentNullException.ThrowIfNull(blocked);
        return dataSource.ExecuteAsync("INSERT INTO blocks (blocker, blocked) VALUES ($1, $2) ON CONFLICT DO NOTHING", cancellationToken, blocker, blocked);
    }

    public ValueTask RemoveBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocker);
        ArgumentNullException.ThrowIfNull(blocked);
        return dataSource.ExecuteAsync("DELETE FROM blocks WHERE blocker = $1 AND blocked = $2", cancellationToken, blocker, blocked);
    }

    public async ValueTask<IReadOnlyList<BlockEntry>> LoadBlocksAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT blocker, blocked FROM blocks");
        return await command.ReadAllAsync(reader => new BlockEntry(reader.GetString(0), reader.GetString(1)), cancellationToken);
    }
}
