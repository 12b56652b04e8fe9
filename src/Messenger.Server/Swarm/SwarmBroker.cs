using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tasks;
using Messenger.Security;
using Messenger.Server.Dispatch;
using Messenger.Server.Hosting;
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
    : IRequestRoutes
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly SwarmRegistry swarm = new();
    private readonly SwarmReports reports = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, HolderQueryState> holderQueries = new();
    private long nextQueryId;

    /// <summary>File searches wait for holders' answers (up to HolderQueryTimeout): they run beside the requester's
    /// in-order frame loop, owned here, so a failure is logged and the requester's other commands are not held up.</summary>
    private readonly BackgroundWork searches = new((what, ex) => logger.LogError(ex, "{Work} failed", what));

    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On(FrameType.FindFile, Json.FindFileRequest, (context, request) =>
        {
            searches.Run($"The search for '{request.Name}' by {context.Session.User}",
                async () => FrameDispatcher.Send(context, await FindFileAsync(context.Session, request)));
            return ValueTask.FromResult(Reply.Later);
        });
        dispatcher.On(FrameType.HolderAnswer, Json.HolderAnswer, (context, answer) =>
        {
            AnswerHolderQuery(context.Session, answer);
            return ValueTask.FromResult(Reply.None);
        }, activity: false);
        dispatcher.On(FrameType.RegisterChunks, Json.RegisterChunks,
            (context, request) => ValueTask.FromResult(RegisterChunks(context.Session, request)), activity: false);
        dispatcher.On(FrameType.ReportBadChunk, Json.ReportBadChunk,
            (context, report) => ValueTask.FromResult(ReportBadChunk(context.Session, report)), activity: false);
    }

    /// <summary>Cluster mode: the other nodes' holders; null on a single node.</summary>
    public IRemoteHolders? Remote { get; set; }

    /// <summary>
    /// p2pDownload: asks every online user (except those who blocked the requester) whether it holds the file, waits
    /// for their answers (bounded), then lists every version with its owners and a swarm ticket per owner. In cluster
    /// mode every node asks its own users at the same time and this node merges their answers.
    /// </summary>
    public async Task<Reply> FindFileAsync(Session requester, FindFileRequest request)
    {
        if (request.Name.Length is 0 or > 255 || request.Name.Any(char.IsControl))
        {
            return Reply.Refuse(StatusCode.BadRequest, "That is not a file name.", Reasons.BadRequest);
        }
        if (tickets is null || requester.PeerFingerprint is null)
        {
            return Reply.Refuse(StatusCode.Unavailable, "Downloads are not available on this connection.", Reasons.ServerError);
        }
        var here = HoldingsAsync(requester.User, request.Name, request.FileId);
        var elsewhere = Remote?.GatherAsync(requester.User, request.Name, request.FileId) ?? Task.FromResult<IReadOnlyList<SwarmHolding>>([]);
        var versions = new List<FileVersion>();
        foreach (var version in (await here).Concat(await elsewhere).GroupBy(holding => holding.FileId, StringComparer.Ordinal))
        {
            var listed = version.SelectMany(holding => holding.Owners)
                .DistinctBy(owner => owner.User)
                .Where(owner => !blocks.IsBlocked(owner.User, requester.User) && !reports.Reported(requester.User, version.Key, owner.User))
                .Select(owner => new ChunkOwner(owner.User, owner.Host, owner.Port, owner.Fingerprint, owner.Chunks,
                    tickets.Issue(TicketPurposes.Swarm, requester.User, requester.PeerFingerprint, owner.User, owner.Fingerprint)))
                .ToArray();
            if (listed.Length > 0)
            {
                reports.Granted(requester.User, version.Key, listed.Select(owner => owner.User));
                versions.Add(new FileVersion(version.Key, version.First().Manifest, listed));
            }
        }
        if (versions.Count == 0)
        {
            return Reply.Refuse(StatusCode.NotFound, $"No online user shares '{request.Name}'.", Reasons.Offline);
        }
        return Reply.Frame(FrameType.FileLocations, new FileLocations(request.Name, [.. versions.OrderByDescending(v => v.Owners.Length)]), Json.FileLocations);
    }

    /// <summary>
    /// This node's part of a search: asks its online users (but the requester and those who blocked it) whether they
    /// hold the file, waits for their answers (up to HolderQueryTimeout), and lists the registry's owners online here.
    /// </summary>
    public async Task<List<SwarmHolding>> HoldingsAsync(string requester, string name, string? fileId)
    {
        var asked = sessions.All
            .Where(s => s.Link is not null && s.User != requester && !blocks.IsBlocked(s.User, requester))
            .ToList();
        var query = new HolderQueryState(Interlocked.Increment(ref nextQueryId), name, asked.Select(s => s.User));
        holderQueries[query.Id] = query;
        try
        {
            var frame = ServerFrames.HolderQuery(query.Id, name);
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

        var holdings = new List<SwarmHolding>();
        foreach (var (id, manifest, owners) in swarm.Find(name, fileId, (_, user) => CanServe(user, requester)))
        {
            var online = new List<SwarmOwner>();
            foreach (var (user, chunks) in owners)
            {
                if (sessions.Find(user) is { Link: { } ownerLink, PeerFingerprint: { } fingerprint, PeerPort: > 0 } owner)
                {
                    online.Add(new SwarmOwner(user, owner.PeerHost ?? ownerLink.RemoteAddress, owner.PeerPort, fingerprint, chunks));
                }
            }
            if (online.Count > 0)
            {
                holdings.Add(new SwarmHolding(id, manifest, [.. online]));
            }
        }
        return holdings;
    }

    /// <summary>A holder that blocked the requester is never used or revealed; nor is the requester itself.</summary>
    private bool CanServe(string owner, string requester) =>
        owner != requester && !blocks.IsBlocked(owner, requester) && sessions.Find(owner)?.Link is not null;

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
    public Reply RegisterChunks(Session owner, RegisterChunks request)
    {
        if (!swarm.Register(owner.User, request.FileId, request.Manifest, request.Chunks))
        {
            return Reply.Refuse(StatusCode.BadRequest, "Unknown file, or its id does not match its manifest.", Reasons.BadRequest);
        }
        if (swarm.HoldsWholeFile(owner.User, request.FileId))
        {
            reports.DownloadFinished(owner.User, request.FileId);
        }
        return Reply.Ok("registered");
    }

    /// <summary>A report counted on another node: counted here too; the owner is delisted here once enough reporters agree.</summary>
    public void ReportedElsewhere(string reporter, string fileId, string owner)
    {
        if (reports.Count(reporter, fileId, owner) == ReportOutcome.Delisted)
        {
            swarm.Ban(fileId, owner);
        }
    }

    /// <summary>A downloader says an owner served a chunk that failed its hash (see <see cref="SwarmReports"/> for what counts).</summary>
    public Reply ReportBadChunk(Session reporter, ReportBadChunk report)
    {
        var outcome = reports.Report(reporter.User, report.FileId, report.Owner);
        if (outcome == ReportOutcome.NotGranted)
        {
            return Reply.Refuse(StatusCode.Forbidden,
                $"You can only report {report.Owner} for a file you are downloading from them.", Reasons.NotGranted);
        }
        logger.LogWarning("{Reporter} reports a bad chunk {Chunk} of {FileId} from {Owner} ({Outcome})", reporter.User, report.Chunk, report.FileId, report.Owner, outcome);
        if (outcome == ReportOutcome.Delisted)
        {
            swarm.Ban(report.FileId, report.Owner);
        }
        Remote?.Reported(reporter.User, report.FileId, report.Owner);
        return Reply.Ok(outcome == ReportOutcome.Delisted ? "reported; no longer listed" : "reported; not listed to you again");
    }
}
