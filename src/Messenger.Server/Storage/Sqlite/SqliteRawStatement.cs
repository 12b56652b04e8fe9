using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// A statement run straight through SQLite's C API, for the direct history's hot inserts (a log row per 32 KB of a
/// batch, a chunk per conversation per move: ~20,000 a second at W1's rate). <see cref="SqliteCommand"/> costs a
/// data reader, a statement enumerator and a parameter lookup by name per execution, and a blob must be a whole
/// array; here the values are bound by position (a blob from a span, copied by SQLite) and the statement is reset for
/// the next. It runs on the connection it was prepared on, inside whatever transaction that connection has open
/// (<see cref="SqliteDatabase.Transact"/>). Owned by <see cref="SqliteDatabase"/>, which finalizes it before it closes
/// the connection.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private readonly sqlite3 connection;
    private readonly sqlite3_stmt statement;

    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        this.connection = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(this.connection, sql, out statement), this.connection);
    }

    /// <summary>Binds parameter <paramref name="index"/> (1-based, in the order of the SQL).</summary>
    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

    /// <summary>Binds parameter <paramref name="index"/> to a copy of <paramref name="blob"/>.</summary>
    public void Bind(int index, ReadOnlySpan<byte> blob) => Check(raw.sqlite3_bind_blob(statement, index, blob));

    /// <summary>Runs the statement (its changes happen in the first step) and returns the first column of its first row, if any.</summary>
    public long? Run()
    {
        try
        {
            var result = raw.sqlite3_step(statement);
            if (result == raw.SQLITE_ROW)
            {
                return raw.sqlite3_column_int64(statement, 0);
            }
            Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result);
            return null;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    public void Dispose() => statement.Dispose();

    private void Check(int result) => SqliteException.ThrowExceptionForRC(result, connection);
}
