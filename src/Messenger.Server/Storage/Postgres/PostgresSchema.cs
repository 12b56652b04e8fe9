using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema: the SQLite store's tables (times as Unix milliseconds, so both stores round-trip the same
/// values) plus what only a cluster needs (nodes, session claims). Texts are UTF-8 in <c>bytea</c>: PostgreSQL's
/// <c>text</c> cannot hold U+0000, which a message may contain. Every node creates the schema at start; an advisory
/// lock makes concurrent starts take turns (CREATE ... IF NOT EXISTS alone races on the catalog).
/// </summary>
internal static class PostgresSchema
{
    private const long SchemaLockKey = 0x4d58_5343_4845_4d41; // "MXSCHEMA"

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS offline_messages (
            id          bigserial PRIMARY KEY,
            sender      text   NOT NULL,
            recipient   text   NOT NULL,
            message_id  bigint NOT NULL,
            text        bytea  NOT NULL,
            sent_at_ms  bigint NOT NULL,
            UNIQUE (sender, message_id, recipient)
        );
        CREATE INDEX IF NOT EXISTS offline_by_recipient ON offline_messages (recipient, id);
        -- node_id: the node that holds the open session, so a node restarting after a crash closes only its own.
        CREATE TABLE IF NOT EXISTS presence (
            user_name       text PRIMARY KEY,
            online_since_ms bigint NULL,
            last_logout_ms  bigint NULL,
            node_id         text NULL
        );
        CREATE TABLE IF NOT EXISTS blocks (
            blocker text NOT NULL,
            blocked text NOT NULL,
            PRIMARY KEY (blocker, blocked)
        );
        CREATE TABLE IF NOT EXISTS lockouts (
            user_name       text PRIMARY KEY,
            failures        integer NOT NULL,
            locked_until_ms bigint NULL
        );
        -- Rooms and direct history (issue 14), as in SQLite: a room message stored once, each member's acknowledged position.
        CREATE TABLE IF NOT EXISTS rooms (
            id          bigserial PRIMARY KEY,
            name        text    NOT NULL,
            owner       text    NULL,
            private     boolean NOT NULL DEFAULT false,
            topic       text    NOT NULL DEFAULT '',
            created_ms  bigint  NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS rooms_by_name ON rooms (lower(name));
        CREATE TABLE IF NOT EXISTS room_members (
            id              bigserial PRIMARY KEY,
            room_id         bigint NOT NULL REFERENCES rooms (id),
            user_name       text   NOT NULL,
            acked_position  bigint NOT NULL,
            UNIQUE (room_id, user_name)
        );
        CREATE TABLE IF NOT EXISTS room_invitations (
            room_id     bigint NOT NULL REFERENCES rooms (id),
            user_name   text   NOT NULL,
            invited_by  text   NOT NULL,
            at_ms       bigint NOT NULL,
            PRIMARY KEY (room_id, user_name)
        );
        CREATE TABLE IF NOT EXISTS room_messages (
            position    bigserial PRIMARY KEY,
            room_id     bigint NOT NULL REFERENCES rooms (id),
            sender      text   NOT NULL,
            message_id  bigint NOT NULL,
            text        bytea  NOT NULL,
            sent_at_ms  bigint NOT NULL
        );
        CREATE INDEX IF NOT EXISTS room_messages_by_room ON room_messages (room_id, position);
        -- Two B-trees per row, not four: the conversation's order is the primary key (no key on id alone) and the trim
        -- scans instead of keeping a time index (it runs hourly, and its count limit scans anyway). Names compare
        -- bytewise (COLLATE "C"): equality is the same, and a key compare is a memcmp, not the locale's strcoll.
        CREATE TABLE IF NOT EXISTS direct_history (
            id          bigserial,
            user_low    text COLLATE "C" NOT NULL,
            user_high   text COLLATE "C" NOT NULL,
            sender      text COLLATE "C" NOT NULL,
            message_id  bigint NOT NULL,
            text        bytea  NOT NULL,
            sent_at_ms  bigint NOT NULL,
            PRIMARY KEY (user_low, user_high, id),
            UNIQUE (sender, message_id, user_low, user_high)
        );
        -- A table of the first layout (a key on id, a conversation index and a time index; locale-compared names) is
        -- rebuilt into this one in place; its rows and ids stay.
        DO $$
        BEGIN
            IF to_regclass('direct_history_by_conversation') IS NOT NULL THEN
                ALTER TABLE direct_history DROP CONSTRAINT direct_history_pkey;
                DROP INDEX direct_history_by_conversation;
                DROP INDEX IF EXISTS direct_history_by_time;
                ALTER TABLE direct_history
                    ALTER COLUMN user_low TYPE text COLLATE "C",
                    ALTER COLUMN user_high TYPE text COLLATE "C",
                    ALTER COLUMN sender TYPE text COLLATE "C",
                    ADD PRIMARY KEY (user_low, user_high, id);
            END IF;
        END $$;
        -- Guest numbers, shared so that two nodes never name two guests alike (guest-<n>).
        CREATE SEQUENCE IF NOT EXISTS guest_numbers;
        CREATE TABLE IF NOT EXISTS nodes (
            node_id      text PRIMARY KEY,
            epoch        bigint NOT NULL,
            heartbeat_at timestamptz NOT NULL
        );
        CREATE TABLE IF NOT EXISTS sessions (
            user_name  text PRIMARY KEY,
            node_id    text   NOT NULL,
            node_epoch bigint NOT NULL,
            token_hash bytea  NOT NULL
        );
        -- Users in `privatemode ask`: a row each (open, the default, has none).
        CREATE TABLE IF NOT EXISTS asks_first (
            user_name text PRIMARY KEY
        );
        """;

    public static async Task CreateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = SchemaLockKey });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand(Tables, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
