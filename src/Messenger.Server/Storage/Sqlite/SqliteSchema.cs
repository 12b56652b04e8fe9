using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>The schema, versioned by <c>PRAGMA user_version</c>. Times are Unix milliseconds (UTC).</summary>
internal static class SqliteSchema
{
    /// <summary>
    /// Schema steps: applying <c>Migrations[i]</c> takes a database from user_version i to i + 1. Append only;
    /// never edit a step that has shipped.
    /// </summary>
    private static readonly string[] Migrations =
    [
        // 0 -> 1
        """
        CREATE TABLE IF NOT EXISTS offline_messages (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            sender      TEXT    NOT NULL,
            recipient   TEXT    NOT NULL,
            message_id  INTEGER NOT NULL,
            text        TEXT    NOT NULL,
            sent_at_ms  INTEGER NOT NULL,
            UNIQUE (sender, message_id, recipient)
        );
        CREATE INDEX IF NOT EXISTS offline_by_recipient ON offline_messages (recipient, id);
        -- Login history, one row per user: the session open now (online_since_ms, NULL when offline) and when the
        -- last one ended. whoelsesince needs only the last logout, so the table does not grow with every login.
        CREATE TABLE IF NOT EXISTS presence (
            user            TEXT PRIMARY KEY,
            online_since_ms INTEGER NULL,
            last_logout_ms  INTEGER NULL
        );
        CREATE TABLE IF NOT EXISTS blocks (
            blocker TEXT NOT NULL,
            blocked TEXT NOT NULL,
            PRIMARY KEY (blocker, blocked)
        );
        CREATE TABLE IF NOT EXISTS lockouts (
            user            TEXT PRIMARY KEY,
            failures        INTEGER NOT NULL,
            locked_until_ms INTEGER NULL
        );
        """,
    ];

    private static int SchemaVersion => Migrations.Length;

    /// <summary>Brings the database up to <see cref="SchemaVersion"/>.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer server with a schema this one does not know.</exception>
    public static void Migrate(SqliteConnection connection)
    {
        var current = Convert.ToInt32(connection.Scalar("PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (current > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"{connection.DataSource} has schema version {current}, newer than this server's {SchemaVersion}; refusing to open it.");
        }
        for (var version = current; version < SchemaVersion; version++)
        {
            // Each step and its version number commit together, so a crash mid-migration leaves the old version.
            using var transaction = connection.BeginTransaction();
            connection.Execute(Migrations[version], transaction);
            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {version + 1};"), transaction);
            transaction.Commit();
        }
    }
}
