namespace Messenger.Server.Swarm;

/// <summary>One p2pDownload's question to the online users: who still has to answer, and a signal when all have.</summary>
public sealed class HolderQueryState
{
    private readonly HashSet<string> waiting;
    private readonly Lock gate = new();
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HolderQueryState(long id, string name, IEnumerable<string> asked)
    {
        Id = id;
        Name = name;
        waiting = new HashSet<string>(asked, StringComparer.Ordinal);
        if (waiting.Count == 0)
        {
            done.TrySetResult();
        }
    }

    public long Id { get; }

    public string Name { get; }

    public Task AllAnswered => done.Task;

    public void Answered(string user)
    {
        lock (gate)
        {
            if (waiting.Remove(user) && waiting.Count == 0)
            {
                done.TrySetResult();
            }
        }
    }
}
