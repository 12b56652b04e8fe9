namespace Messenger.Client.Tests.Swarm;

/// <summary>A fresh temporary folder per test, deleted afterwards (links inside are deleted, never followed).</summary>
internal sealed class SwarmTestFolder : IDisposable
{
    public SwarmTestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "swarm-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public async Task<string> WriteAsync(string relative, byte[] bytes)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
