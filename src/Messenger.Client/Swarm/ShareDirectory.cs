namespace Messenger.Client.Swarm;

/// <summary>
/// The folder this client shares. Only regular files inside it are ever served: a name with "..", an absolute path,
/// a backslash or a drive letter is refused, and so is a name whose real path (links followed) leaves the folder.
/// </summary>
public sealed class ShareDirectory
{
    public const int MaxNameLength = 255;

    public ShareDirectory(string root)
    {
        Directory.CreateDirectory(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>A relative, '/'-separated name with no empty, "." or ".." part: checked by text alone.</summary>
    public static bool IsSafeName(string name, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            error = $"A file name is 1 to {MaxNameLength} characters.";
        }
        else if (name.Any(char.IsControl))
        {
            error = "A file name may not contain control characters.";
        }
        else if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || (name.Length >= 2 && name[1] == ':'))
        {
            error = $"'{name}' is not a name inside the share folder (absolute paths are refused).";
        }
        else if (name.Split('/').Any(part => part is "" or "." or ".."))
        {
            error = $"'{name}' leaves the share folder (no '..', '.' or empty parts).";
        }
        return error.Length == 0;
    }

    /// <summary>The file's full path when the name is safe and names a regular file whose real path is inside the folder.</summary>
    public bool TryResolveExisting(string name, out string fullPath, out string error)
    {
        fullPath = "";
        if (!IsSafeName(name, out error))
        {
            return false;
        }
        var candidate = Path.GetFullPath(Path.Combine(Root, name));
        if (!File.Exists(candidate))
        {
            error = $"'{name}' is not in the share folder.";
            return false;
        }
        var real = RealPath(candidate);
        var realRoot = RealPath(Root);
        if (!real.StartsWith(realRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || (File.GetAttributes(real) & (FileAttributes.Directory | FileAttributes.Device)) != 0)
        {
            error = $"'{name}' leads out of the share folder.";
            return false;
        }
        fullPath = real;
        return true;
    }

    /// <summary>The path with every link on the way resolved.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = Path.GetFullPath(target.FullName);
            }
        }
        return current;
    }
}
