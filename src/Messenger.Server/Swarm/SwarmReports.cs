namespace Messenger.Server.Swarm;

/// <summary>
/// Who may report whom for serving a bad chunk, and what a report does. A report counts only from a downloader that
/// the server gave that owner for that file and whose download is still open (it has not registered the whole file,
/// it is still logged in). One report stops that owner from being listed to that reporter; the owner is dropped for
/// everyone only when <see cref="DistinctReportersToDelist"/> different downloaders reported it. So one user cannot
/// delist another, while an owner that really serves bad data soon stops being listed at all.
/// Locking: one monitor over everything; each call is a few set operations.
/// </summary>
public sealed class SwarmReports
{
    /// <summary>Three: two users who cooperate cannot delist a third, and a bad owner met by a few downloaders is gone.</summary>
    public const int DistinctReportersToDelist = 3;

    private readonly Dictionary<(string Downloader, string FileId), HashSet<string>> openGrants = [];
    private readonly Dictionary<(string FileId, string Owner), HashSet<string>> reporters = [];
    private readonly Lock gate = new();

    /// <summary>The server listed these owners of the file to this downloader (p2pDownload).</summary>
    public void Granted(string downloader, string fileId, IEnumerable<string> owners)
    {
        lock (gate)
        {
            if (!openGrants.TryGetValue((downloader, fileId), out var granted))
            {
                granted = new HashSet<string>(StringComparer.Ordinal);
                openGrants[(downloader, fileId)] = granted;
            }
            granted.UnionWith(owners);
        }
    }

    /// <summary>The downloader holds the whole file now: its download is over, so it reports nothing more about it.</summary>
    public void DownloadFinished(string downloader, string fileId)
    {
        lock (gate)
        {
            openGrants.Remove((downloader, fileId));
        }
    }

    /// <summary>
    /// A user logged out: its downloads are over. Reports about it stay (logging in again does not clear them); they
    /// are bounded, since each needs a grant.
    /// </summary>
    public void DownloaderLeft(string user)
    {
        lock (gate)
        {
            foreach (var key in openGrants.Keys.Where(k => k.Downloader == user).ToList())
            {
                openGrants.Remove(key);
            }
        }
    }

    public ReportOutcome Report(string reporter, string fileId, string owner)
    {
        lock (gate)
        {
            if (!openGrants.TryGetValue((reporter, fileId), out var granted) || !granted.Contains(owner))
            {
                return ReportOutcome.NotGranted;
            }
        }
        return Count(reporter, fileId, owner);
    }

    /// <summary>Counts a report already checked against its grant (here by <see cref="Report"/>, or on the reporter's own node).</summary>
    public ReportOutcome Count(string reporter, string fileId, string owner)
    {
        lock (gate)
        {
            if (!reporters.TryGetValue((fileId, owner), out var reported))
            {
                reported = new HashSet<string>(StringComparer.Ordinal);
                reporters[(fileId, owner)] = reported;
            }
            reported.Add(reporter);
            return reported.Count >= DistinctReportersToDelist ? ReportOutcome.Delisted : ReportOutcome.AvoidedForReporter;
        }
    }

    /// <summary>True when <paramref name="downloader"/> reported <paramref name="owner"/> for this file: not listed to it again.</summary>
    public bool Reported(string downloader, string fileId, string owner)
    {
        lock (gate)
        {
            return reporters.TryGetValue((fileId, owner), out var reported) && reported.Contains(downloader);
        }
    }
}

/// <summary>What a bad-chunk report did.</summary>
public enum ReportOutcome
{
    /// <summary>The reporter was not given that owner for that file in a download still open: the report is refused.</summary>
    NotGranted,

    /// <summary>The owner is no longer listed to this reporter.</summary>
    AvoidedForReporter,

    /// <summary>Enough distinct downloaders reported the owner: it is no longer listed for this file to anyone.</summary>
    Delisted,
}
