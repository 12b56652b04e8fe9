using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>One-statement helpers on a pooled data source: positional parameters ($1, $2, ...), one round trip each.</summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        AddAll(command, parameters);
        return command;
    }

    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        AddAll(command, parameters);
        return command;
    }

    public static async ValueTask ExecuteAsync(this NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = dataSource.Command(sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async ValueTask<IReadOnlyList<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(row(reader));
        }
        return rows;
    }

    /// <summary>One statement of a batch (a batch is one round trip and, without a transaction, one implicit transaction).</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddAll(command.Parameters, parameters);
        return command;
    }

    private static void AddAll(NpgsqlCommand command, object?[] parameters) => AddAll(command.Parameters, parameters);

    private static void AddAll(NpgsqlParameterCollection collection, object?[] parameters)
    {
        foreach (var value in parameters)
        {
            collection.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
