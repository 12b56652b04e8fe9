using Messenger.Protocol.Contracts;
using Messenger.Security;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Swarm;

/// <summary>
/// The swarm's side of the server: asks online users who holds a file, keeps the chunk registry, lists owners with a
/// ticket each, and weighs reports of bad chunks (<see cref="SwarmReports"/>). File data never passes through it.
/// </summary>
/// <param name="tickets">Signs swarm tickets; null when the server has no key (then no downloads).</param>
public sealed class SwarmBroker(ServerOptions options, TimeProvider time, SessionRegistry sessions, BlockList blocks, TicketSigner? tickets, ILogger logger)
{
    private readonly SwarmRegistry swarm = new();
    private readonly SwarmReports reports = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, HolderQueryState> holderQueries = new();
    private long nextQueryId;

    /// <summary>
    /// p2pDownload: asks every online user (except those who blocked the requester) whether it holds the file, waits
    /// for their answers (bounded), then lists every version with its owners and a swarm ticket per owner.
    /// </summary>
    public async Task FindFileAsync(Session requester, IClientLink link, uint requestId, FindFileRequest request)
    {
        if (request.Name.Length is 0 or > 255 || request.Name.Any(char.IsControl))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, "That is not a file name.", Reasons.BadRequest));
            return;
        }
        if (tickets is null || requester.PeerFingerprint is null)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Unavailable, "Downloads are not available on this connection.", Reasons.ServerError));
            return;
        }
        var asked = sessions.All
            .Where(s => s.Link is not null && s.User != requester.User && !blocks.IsBlocked(s.User, requester.User))
            .ToList();
        var query = new HolderQueryState(Interlocked.Increment(ref nextQueryId), request.Name, asked.Select(s => s.User));
        holderQueries[query.Id] = query;
        try
        {
            var frame = ServerFrames.HolderQuery(query.Id, request.Name);
            foreach (var session in asked)
            {
                if (session.Link?.TrySend(frame) != true)
                {
                    query.Answered(session.User);
                }
            }
            try
            {
                await query.AllAnswered.WaitAsync(options.HolderQueryTimeout, time);
            }
            catch (TimeoutException)
            {
                // Whoever has not answered by now is left out of this listing.
            }
        }
        finally
        {
            holderQueries.TryRemove(query.Id, out _);
        }

        var versions = new List<FileVersion>();
        foreach (var (fileId, manifest, owners) in swarm.Find(request.Name, request.FileId,
                     (fileId, user) => CanServe(user, requester) && !reports.Reported(requester.User, fileId, user)))
        {
            var listed = new List<ChunkOwner>();
            foreach (var (user, chunks) in owners)
            {
                if (sessions.Find(user) is { Link: { } ownerLink, PeerFingerprint: { } fingerprint, PeerPort: > 0 } owner)
                {
                    var ticket = tickets.Issue(TicketPurposes.Swarm, requester.User, requester.PeerFingerprint, user, fingerprint);
                    listed.Add(new ChunkOwner(user, owner.PeerHost ?? ownerLink.RemoteAddress, owner.PeerPort, fingerprint, chunks, ticket));
                }
            }
            if (listed.Count > 0)
            {
                reports.Granted(requester.User, fileId, listed.Select(owner => owner.User));
                versions.Add(new FileVersion(fileId, manifest, [.. listed]));
            }
        }
        if (versions.Count == 0)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.NotFound, $"No online user shares '{request.Name}'.", Reasons.Offline));
            return;
        }
        link.TrySend(ServerFrames.FileLocations(requestId, new FileLocations(request.Name, [.. versions])));
    }

    /// <summary>A holder that blocked the requester is never used or revealed; nor is the requester itself.</summary>
    private bool CanServe(string owner, Session requester) =>
        owner != requester.User && !blocks.IsBlocked(owner, requester.User) && sessions.Find(owner)?.Link is not null;

    /// <summary>A user logged out for good: it holds nothing any more, downloads nothing, answers nothing.</summary>
    public void UserLeft(string user)
    {
        swarm.RemoveOwner(user);
        reports.DownloaderLeft(user);
        StopWaitingFor(user);
    }

    /// <summary>A user whose connection is gone will not answer holder queries: nobody waits for it.</summary>
    public void StopWaitingFor(string user)
    {
        foreach (var query in holderQueries.Values)
        {
            query.Answered(user);
        }
    }

    public void AnswerHolderQuery(Session holder, HolderAnswer answer)
    {
        if (!holderQueries.TryGetValue(answer.QueryId, out var query))
        {
            return;
        }
        if (answer is { FileId: { } fileId, Manifest: { } manifest } && manifest.Name == query.Name)
        {
            swarm.Register(holder.User, fileId, manifest, Enumerable.Range(0, manifest.ChunkHashes.Length));
        }
        query.Answered(holder.User);
    }

    /// <summary>A client holds these chunks (a downloader registers each verified chunk, so others can fetch it from it).</summary>
    public void RegisterChunks(Session owner, IClientLink link, uint requestId, RegisterChunks request)
    {
        if (!swarm.Register(owner.User, request.FileId, request.Manifest, request.Chunks))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, "Unknown file, or its id does not match its manifest.", Reasons.BadRequest));
            return;
        }
        if (swarm.HoldsWholeFile(owner.User, request.FileId))
        {
            reports.DownloadFinished(owner.User, request.FileId);
        }
        link.TrySend(ServerFrames.Ok(requestId, "registered"));
    }

    /// <summary>A downloader says an owner served a chunk that failed its hash (see <see cref="SwarmReports"/> for what counts).</summary>
    public void ReportBadChunk(Session reporter, IClientLink link, uint requestId, ReportBadChunk report)
    {
        var outcome = reports.Report(reporter.User, report.FileId, report.Owner);
        if (outcome == ReportOutcome.NotGranted)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Forbidden,
                $"You can only report {report.Owner} for a file you are downloading from them.", Reasons.NotGranted));
            return;
        }
        logger.LogWarning("{Reporter} reports a bad chunk {Chunk} of {FileId} from {Owner} ({Outcome})", reporter.User, report.Chunk, report.FileId, report.Owner, outcome);
        if (outcome == ReportOutcome.Delisted)
        {
            swarm.Ban(report.FileId, report.Owner);
        }
        link.TrySend(ServerFrames.Ok(requestId, outcome == ReportOutcome.Delisted ? "reported; no longer listed" : "reported; not listed to you again"));
    }
}
