using Messenger.Server.Dispatch;
using Messenger.Protocol.Contracts;
using Messenger.Server.Sessions;

namespace Messenger.Server.Messaging;

/// <summary>Answers to a sender: what became of its message (`delivered`, `stored`), to the first send and its resends.</summary>
public static class SenderAnswers
{
    /// <summary>
    /// A message that joined an online recipient's backlog is answered `delivered` once acknowledged, like a live one
    /// (null: the answer comes then). The outcome to answer now: `stored` when the recipient is not attached,
    /// `delivered` when a page already carried the row and the client acknowledged it.
    /// </summary>
    public static DeliveryOutcome? WaitForBacklogDelivery(Session? recipient, long rowId, IOutcomeWaiter waiter)
    {
        if (recipient is null)
        {
            return DeliveryOutcome.Stored;
        }
        lock (recipient.Gate)
        {
            if (recipient.Link is null)
            {
                return DeliveryOutcome.Stored;
            }
            if (rowId > recipient.Backlog.LastSentRow)
            {
                recipient.Backlog.Park(rowId, waiter);
                return null;
            }
            return recipient.AddWaiterToPendingRow(rowId, waiter) ? null : DeliveryOutcome.Delivered;
        }
    }

    /// <summary>Records the outcome and answers every request waiting for it (the first send and any resends).</summary>
    public static void Complete(SendWaiter waiter, DeliveryOutcome outcome)
    {
        SendWaiter? first;
        lock (waiter.Sender.Gate)
        {
            first = waiter.Sender.FinishSent(waiter.MessageId, outcome);
        }
        // Finished, the message gets no more resends added: its waiters are read outside the gate.
        first ??= waiter;
        Answer(first, outcome);
        for (var i = 0; i < first.Resends.Count; i++)
        {
            Answer(first.Resends[i], outcome);
        }
    }

    private static void Answer(SendWaiter waiter, DeliveryOutcome outcome) =>
        waiter.Link.TrySend(ServerFrames.SendResult(waiter.RequestId, waiter.MessageId, outcome, waiter.Compact));

    /// <summary>The message was refused after all (mailbox full): a resend may try again.</summary>
    public static void Forget(SendWaiter waiter)
    {
        lock (waiter.Sender.Gate)
        {
            waiter.Sender.ForgetSent(waiter.MessageId);
        }
    }
}
