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
        // 1 -> 2: rooms (issue 14). A room message is stored once; each member has the position it acknowledged.
        // Direct-message history is its own append-only table, apart from the mailbox (docs/ARCHITECTURE.md "Rooms").
        """
        CREATE TABLE rooms (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
            owner       TEXT    NULL,
            private     INTEGER NOT NULL DEFAULT 0,
            topic       TEXT    NOT NULL DEFAULT '',
            created_ms  INTEGER NOT NULL
        );
        -- id is the join order: the longest-standing member has the smallest.
        CREATE TABLE room_members (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            room_id         INTEGER NOT NULL REFERENCES rooms (id),
            user            TEXT    NOT NULL,
            acked_position  INTEGER NOT NULL,
            UNIQUE (room_id, user)
        );
        CREATE TABLE room_invitations (
            room_id     INTEGER NOT NULL REFERENCES rooms (id),
            user        TEXT    NOT NULL,
            invited_by  TEXT    NOT NULL,
            at_ms       INTEGER NOT NULL,
            PRIMARY KEY (room_id, user)
        );
        CREATE TABLE room_messages (
            position    INTEGER PRIMARY KEY AUTOINCREMENT,
            room_id     INTEGER NOT NULL REFERENCES rooms (id),
            sender      TEXT    NOT NULL,
            message_id  INTEGER NOT NULL,
            text        TEXT    NOT NULL,
            sent_at_ms  INTEGER NOT NULL
        );
        CREATE INDEX room_messages_by_room ON room_messages (room_id, position);
        -- user_low < user_high: one key per conversation, whichever way a message went.
        CREATE TABLE direct_history (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            user_low    TEXT    NOT NULL,
            user_high   TEXT    NOT NULL,
            sender      TEXT    NOT NULL,
            message_id  INTEGER NOT NULL,
            text        TEXT    NOT NULL,
            sent_at_ms  INTEGER NOT NULL,
            UNIQUE (sender, message_id, user_low, user_high)
        );
        CREATE INDEX direct_history_by_conversation ON direct_history (user_low, user_high, id);
        CREATE INDEX direct_history_by_time ON direct_history (sent_at_ms);
        """,
        // 2 -> 3: direct history with one index instead of three. direct_history's two name-keyed indexes took each
        // row to a random page, so a batch's commit rewrote about one page per row: the writer kept up with ~65k
        // messages/s and dropped the rest. Now a conversation is a small integer, its rows are found by
        // (conversation, id), a resend is told apart when read, and age trimming follows id order
        // (docs/ARCHITECTURE.md "Rooms and history").
        """
        CREATE TABLE conversations (
            id          INTEGER PRIMARY KEY,
            user_low    TEXT    NOT NULL,
            user_high   TEXT    NOT NULL,
            UNIQUE (user_low, user_high)
        );
        CREATE TABLE direct_messages (
            id            INTEGER PRIMARY KEY,
            conversation  INTEGER NOT NULL REFERENCES conversations (id),
            from_low      INTEGER NOT NULL,
            message_id    INTEGER NOT NULL,
            text          TEXT    NOT NULL,
            sent_at_ms    INTEGER NOT NULL
        );
        INSERT INTO conversations (user_low, user_high) SELECT DISTINCT user_low, user_high FROM direct_history;
        INSERT INTO direct_messages (id, conversation, from_low, message_id, text, sent_at_ms)
            SELECT h.id, c.id, h.sender = h.user_low, h.message_id, h.text, h.sent_at_ms
            FROM direct_history h JOIN conversations c ON c.user_low = h.user_low AND c.user_high = h.user_high
            ORDER BY h.id;
        DROP TABLE direct_history;
        CREATE INDEX direct_messages_by_conversation ON direct_messages (conversation, id);
        """,
        // 3 -> 4: `privatemode ask` outlasts a restart (it was kept in memory only). A row per user who asks first.
        """
        CREATE TABLE asks_first (
            user TEXT PRIMARY KEY
        );
        """,
        // 4 -> 5: direct history as a log and chunks, so keeping it costs O(1) pages per batch instead of a B-tree
        // insert per row. direct_log takes each batch as blobs of records in arrival order (AUTOINCREMENT: its ids
        // never go back, since a chunk's log_upto is compared with them); a move copies a conversation's records
        // into a chunk of its own and deletes the log rows it covered. direct_messages' rows become chunks when the
        // server first opens the file (the records are a binary format SQL cannot write), then it stays empty
        // (docs/ARCHITECTURE.md "Rooms and history").
        """
        CREATE TABLE direct_log (
            id    INTEGER PRIMARY KEY AUTOINCREMENT,
            rows  BLOB    NOT NULL
        );
        CREATE TABLE direct_chunks (
            id            INTEGER PRIMARY KEY,
            conversation  INTEGER NOT NULL REFERENCES conversations (id),
            log_upto      INTEGER NOT NULL,
            count         INTEGER NOT NULL,
            oldest_ms     INTEGER NOT NULL,
            newest_ms     INTEGER NOT NULL,
            rows          BLOB    NOT NULL
        );
        CREATE INDEX direct_chunks_by_conversation ON direct_chunks (conversation, id);
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
