namespace Messenger.Server.Storage;

/// <summary>Block lists: who has blocked whom (one-way).</summary>
public interface IBlockStore
{
    ValueTask AddBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default);

    ValueTask RemoveBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<BlockEntry>> LoadBlocksAsync(CancellationToken cancellationToken = default);
}
