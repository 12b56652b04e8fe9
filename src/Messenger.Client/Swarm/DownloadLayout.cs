namespace Messenger.Client.Swarm;

/// <summary>Where downloads go: downloads/&lt;name&gt; when complete, downloads/.partial/&lt;fileId&gt;.* meanwhile.</summary>
public static class DownloadLayout
{
    public const string PartialFolder = ".partial";

    /// <summary>Whether downloads/&lt;name&gt; already exists (as a file or a folder): a download never replaces it.</summary>
    public static bool TargetExists(string downloadDirectory, string name)
    {
        ThrowIfUnsafe(name);
        return Path.Exists(TargetPath(downloadDirectory, name));
    }

    /// <summary>The finished file's path; <paramref name="name"/> must be safe (<see cref="ThrowIfUnsafe"/>).</summary>
    public static string TargetPath(string downloadDirectory, string name) =>
        Path.Combine(Path.GetFullPath(downloadDirectory), name.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>A name from the network that would leave the download folder (or is otherwise unsafe) is refused.</summary>
    public static void ThrowIfUnsafe(string name)
    {
        if (!ShareDirectory.IsSafeName(name, out var error))
        {
            throw new ArgumentException(error, nameof(name));
        }
    }
}
