using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Messenger.Client.Session;
using Messenger.Protocol.Contracts;

namespace Messenger.Bench;

/// <summary>
/// Failover, as the real client does it (`--servers`): when the link drops, the user reconnects to the next node of
/// its list, resumes its session with the token of its last login, and sends again, with the same ids, every message
/// the server had not answered. Only connections given <see cref="Endpoints"/> do this; the others just stop.
/// </summary>
public sealed partial class BenchConnection
{
    private static readonly TimeSpan ResumeDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AttachDeadline = TimeSpan.FromSeconds(15);

    // False while a resume is under way: messages then wait in `unanswered` and go once the session is back.
    private volatile bool attached;
    private volatile bool disposing;
    private string? resumeToken;
    private Dictionary<long, (int To, long Stamp)>? unanswered; // under writeGate
    private Task? resuming;
    private long refused;
    private int endpoint;
    private long shownTwice;
    // What the real client shows once (Messenger.Client's own check), kept only with failover on.
    private SeenMessages? seen;

    /// <summary>The ports of this user's node and the others, tried in turn after a lost link; null: no failover.</summary>
    public IReadOnlyList<int>? Endpoints { get; private set; }

    /// <summary>Stopwatch time the link was lost and the session resumed on another node (0: not yet).</summary>
    public long LostAt { get; private set; }

    public long ResumedAt { get; private set; }

    /// <summary>Why the resume failed (null: it did not, or none was needed).</summary>
    public string? ResumeFailure { get; private set; }

    /// <summary>Repeats the real client would have shown again (its check forgets the oldest of 8,192 pairs).</summary>
    public long ShownTwice => Interlocked.Read(ref shownTwice);

    /// <summary>Requests the server refused (a Response to a send instead of its SendResult).</summary>
    public long Refused => Interlocked.Read(ref refused);

    /// <summary>Messages sent and not answered yet (only counted with failover on).</summary>
    public int Unanswered
    {
        get
        {
            lock (writeGate)
            {
                return unanswered?.Count ?? 0;
            }
        }
    }

    /// <summary>Turns failover on: <paramref name="ports"/> starts with this user's own node.</summary>
    public void FailOverTo(IReadOnlyList<int> ports)
    {
        lock (writeGate)
        {
            Endpoints = ports;
            unanswered ??= [];
            seen ??= new SeenMessages();
        }
    }

    /// <summary>
    /// Counts a receipt the user would see twice. A repeat (<paramref name="repeat"/>: the ledger saw the pair before)
    /// is expected after a resume (a delivery whose ack died with its node, a resend the new node could not know), and
    /// the real client drops it with its own check, fed here with every receipt when failover is on; without failover
    /// every repeat counts.
    /// </summary>
    private void CountShown(int sender, long messageId, bool repeat)
    {
        var firstForClient = true;
        if (seen is not null)
        {
            lock (seen)
            {
                firstForClient = seen.Add(UserName(sender), messageId);
            }
        }
        if (repeat && firstForClient)
        {
            Interlocked.Increment(ref shownTwice);
        }
    }

    private void OnLoginAccepted(ReadOnlySequence<byte> payload)
    {
        var accepted = JsonSerializer.Deserialize(payload.ToArray(), ProtocolJsonContext.Default.LoginAccepted);
        resumeToken = accepted?.ResumeToken;
    }

    /// <summary>A SendResult (delivered or stored): the message is the server's now; the ledger counts it as acknowledged.</summary>
    private void OnAnswer(ReadOnlySequence<byte> payload)
    {
        if (JsonSerializer.Deserialize(payload.ToArray(), ProtocolJsonContext.Default.SendResult) is { } answer)
        {
            OnAnswer(answer);
        }
    }

    /// <summary>A send's outcome (from either form of the answer): it no longer needs a resend.</summary>
    private void OnAnswer(SendResult answer)
    {
        lock (writeGate)
        {
            unanswered?.Remove(answer.MessageId);
        }
        Ledger?.Acknowledged(Index, answer.MessageId);
    }

    /// <summary>The read loop of <paramref name="sender"/>'s link ended: if that was the attached link, resume elsewhere.</summary>
    private void OnLinkLost(BatchedSender sender)
    {
        lock (writeGate)
        {
            if (Endpoints is null || disposing || !attached || !ReferenceEquals(sender, outbound))
            {
                return;
            }
            attached = false;
            LostAt = Stopwatch.GetTimestamp();
            resuming = Task.Run(ResumeAsync);
        }
    }

    private async Task ResumeAsync()
    {
        var clock = Stopwatch.StartNew();
        string failure = "no node answered";
        while (!disposing && clock.Elapsed < ResumeDeadline)
        {
            endpoint = (endpoint + 1) % Endpoints!.Count;
            try
            {
                using var deadline = new CancellationTokenSource(AttachDeadline);
                if (await AttachAsync(Endpoints[endpoint], deadline.Token))
                {
                    ResendUnanswered();
                    ResumedAt = Stopwatch.GetTimestamp();
                    return;
                }
                failure = "the resume was refused";
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or InvalidOperationException)
            {
                failure = ex.Message;
            }
            await Task.Delay(100);
        }
        ResumeFailure = failure;
    }

    /// <summary>The session is back: everything unanswered goes again, in id order, with its id (the server drops repeats).</summary>
    private void ResendUnanswered()
    {
        lock (writeGate)
        {
            foreach (var (id, (to, stamp)) in unanswered!.OrderBy(pair => pair.Key))
            {
                WriteSend(to, stamp, id);
            }
            attached = true;
            outbound.Flush();
        }
    }

    /// <summary>Waits for the resume under way, if any (at most its deadline).</summary>
    public Task ResumedAsync() => (resuming ?? Task.CompletedTask).WaitAsync(ResumeDeadline + AttachDeadline);
}
