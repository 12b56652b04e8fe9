using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>A published server or client: a .dll runs on the JIT under `dotnet`; any other path is a Native AOT binary, run as it is.</summary>
public static class PublishedApp
{
    public static bool IsNative(string path) => !path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The process to start for <paramref name="path"/> in <paramref name="folder"/>, its own path as the first argument
    /// when it runs under dotnet; its standard streams are the bench's to read and write.
    /// </summary>
    public static ProcessStartInfo StartInfo(string path, string folder)
    {
        var info = new ProcessStartInfo(IsNative(path) ? path : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        if (!IsNative(path))
        {
            info.ArgumentList.Add(path);
        }
        return info;
    }
}
