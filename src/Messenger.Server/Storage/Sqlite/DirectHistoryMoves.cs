using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// Moves direct history out of the log (<c>direct_log</c>) into chunks: each conversation's waiting records in the
/// tail become one chunk row (<see cref="DirectHistoryChunks"/>), a slice of conversations per commit, and once every
/// conversation of a move is written the log rows it covered are deleted. Every record is in the log, in a chunk, or
/// both, never neither: a crash between the two leaves chunks that name the log rows they hold (<c>log_upto</c>), and
/// recovery (<see cref="DirectHistoryRecovery"/>) repeats nothing. Not thread-safe: the caller
/// (<see cref="SqliteDirectHistory"/>) runs appends, moves, trims and purges one at a time under its writer lock.
/// </summary>
internal sealed class DirectHistoryMoves
{
    /// <summary>Conversations moved per transaction, so other writes (the mailbox) get the connection in between.</summary>
    private const int MoveSliceConversations = 1024;

    private readonly SqliteDatabase database;
    private readonly DirectHistoryTail tail;
    private readonly DirectHistoryChunks chunks;
    private readonly SqliteCommand deleteLog;

    /// <summary>The last log row deleted by a move: every record up to it is in a chunk.</summary>
    private long movedThrough = -1;

    /// <summary>The move under way, if any (<see cref="MoveSome"/>).</summary>
    private Move? moving;

    public DirectHistoryMoves(SqliteDatabase database, DirectHistoryTail tail, DirectHistoryChunks chunks)
    {
        (this.database, this.tail, this.chunks) = (database, tail, chunks);
        deleteLog = database.Prepare("DELETE FROM direct_log WHERE id <= $upTo;", "$upTo");
    }

    /// <summary>
    /// After an append: one slice of a move, if one runs or the tail has reached <paramref name="startAtBytes"/>. A move
    /// goes a slice of conversations per commit, between appends, so no append waits for a whole move (a full move at
    /// W1's 20,000 conversations takes a few hundred ms). <paramref name="lastLogId"/>: the last log row in the tail.
    /// </summary>
    public void MoveSome(long lastLogId, long startAtBytes)
    {
        if (moving is null && tail.Bytes < startAtBytes)
        {
            return;
        }
        moving ??= new(lastLogId, new(tail.Waiting()));
        MoveSlice(moving);
    }

    /// <summary>Finishes the move under way, then moves everything that waits (up to <paramref name="lastLogId"/>).</summary>
    public void MoveAll(long lastLogId)
    {
        if (moving is { } started)
        {
            while (!MoveSlice(started))
            {
            }
        }
        if (lastLogId == movedThrough)
        {
            return; // the tail holds only records of log rows after movedThrough: nothing waits
        }
        var all = moving = new(lastLogId, new(tail.Waiting()));
        while (!MoveSlice(all))
        {
        }
    }

    /// <summary>
    /// Writes the next slice's records as chunks (one commit); after the last slice, deletes the log rows the move
    /// covered. A crash in between leaves chunks that say which log rows they hold (log_upto), so the restart's
    /// recovery moves the rest and repeats nothing. Returns whether the move is done.
    /// </summary>
    private bool MoveSlice(Move move)
    {
        var slice = new List<(DirectHistoryTail.Pending Pending, int Length)>(MoveSliceConversations);
        while (slice.Count < MoveSliceConversations && move.Left.TryDequeue(out var next))
        {
            slice.Add(next);
        }
        if (slice.Count > 0)
        {
            database.Transact(() =>
            {
                foreach (var (pending, length) in slice)
                {
                    chunks.Append(pending.Conversation, move.UpTo, pending.Records[..length]);
                }
                return slice.Count;
            });
            tail.Moved(slice);
        }
        if (move.Left.Count > 0)
        {
            return false;
        }
        database.Transact(() =>
        {
            deleteLog.Bind(("$upTo", move.UpTo));
            return deleteLog.ExecuteNonQuery();
        });
        movedThrough = move.UpTo;
        moving = null;
        tail.ReleaseIdle();
        return true;
    }

    /// <summary>A move under way: the last log row it covers, and the conversations (with their bytes then) still to write.</summary>
    private sealed record Move(long UpTo, Queue<(DirectHistoryTail.Pending Pending, int Length)> Left);
}
