namespace Messenger.Client.Swarm;

/// <summary>
/// The folder this client shares (DESIGN.md, Security: "a name that leaves it is refused"). Only regular files inside
/// it are ever served: a name with "..", an absolute path, a backslash or a drive letter is refused by its text alone,
/// and a name whose real path (every link on the way followed) leaves the folder is refused when it is resolved.
/// </summary>
public sealed class ShareDirectory
{
    /// <summary>Longest name, in characters (a common file-system limit for one name, applied to the whole path).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Links are followed at most this deep (a loop of links would otherwise never end).</summary>
    private const int MaxLinkHops = 40;

    public ShareDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Directory.CreateDirectory(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>
    /// A relative, '/'-separated name of 1..255 characters with no empty, "." or ".." part, no backslash, no drive
    /// letter and no control character. Checked by text alone, so it is the same answer on every platform.
    /// </summary>
    public static bool IsSafeName(string name, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(name))
        {
            error = "A file name cannot be empty.";
        }
        else if (name.Length > MaxNameLength)
        {
            error = $"A file name has at most {MaxNameLength} characters; this one has {name.Length}.";
        }
        else if (name.Any(char.IsControl))
        {
            error = "A file name cannot contain control characters.";
        }
        else if (name.Contains('\\', StringComparison.Ordinal))
        {
            error = $"'{name}' contains a backslash; use '/' to name a file in a subfolder.";
        }
        else if (name.StartsWith('/') || name.Contains(':', StringComparison.Ordinal))
        {
            // ':' covers "C:x" drive-relative names and Windows alternate data streams ("file:stream").
            error = $"'{name}' is an absolute path or contains ':'; only names inside the share folder are allowed.";
        }
        else if (name.Split('/').Any(part => part == ".."))
        {
            error = $"'{name}' leaves the share folder ('..' is not allowed).";
        }
        else if (name.Split('/').Any(part => part is "" or "."))
        {
            error = $"'{name}' has an empty or '.' part; write the name without them.";
        }
        return error.Length == 0;
    }

    /// <summary>
    /// The real full path of the regular file <paramref name="name"/> names, when the name is safe and the file's real
    /// path (links followed) is inside the real share folder.
    /// </summary>
    public bool TryResolveExisting(string name, out string fullPath, out string error)
    {
        fullPath = "";
        if (!IsSafeName(name, out error))
        {
            return false;
        }
        string real;
        string realRoot;
        try
        {
            var hops = 0;
            realRoot = RealPath(Root, ref hops);
            real = RealPath(Path.Combine(Root, name.Replace('/', Path.DirectorySeparatorChar)), ref hops);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"'{name}' cannot be opened in the share folder: {ex.Message}";
            return false;
        }
        if (!IsInside(real, realRoot))
        {
            error = $"'{name}' leads out of the share folder (through a link) and is not shared.";
            return false;
        }
        if (Directory.Exists(real))
        {
            error = $"'{name}' is a folder, not a file.";
            return false;
        }
        if (!File.Exists(real))
        {
            error = $"'{name}' is not in the share folder.";
            return false;
        }
        // Windows reports devices here. On Unix .NET exposes no file type (FIFO, socket, device): such a node can only
        // be made inside the folder by its owner, and a link to /dev is refused above because it leads out.
        if ((File.GetAttributes(real) & FileAttributes.Device) != 0)
        {
            error = $"'{name}' is not a regular file.";
            return false;
        }
        fullPath = real;
        return true;
    }

    private static bool IsInside(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, comparison);
    }

    /// <summary>
    /// The path with every link on the way resolved, one part at a time from the file-system root, so a linked folder
    /// in the middle ("share/sub -> /etc") is caught as well as a linked file. A missing part is kept as it is.
    /// </summary>
    private static string RealPath(string path, ref int hops)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is null)
            {
                continue;
            }
            if (++hops > MaxLinkHops)
            {
                throw new IOException($"too many links in '{path}'.");
            }
            // The final target may itself sit under linked folders; resolving it again makes it fully real.
            var target = info.ResolveLinkTarget(returnFinalTarget: true)
                ?? throw new IOException($"the link '{current}' cannot be followed.");
            current = RealPath(target.FullName, ref hops);
        }
        return current;
    }
}
