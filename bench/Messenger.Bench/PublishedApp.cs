using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>A published server or client: a .dll runs on the JIT under `dotnet`; any other path is a Native AOT binary, run as it is.</summary>
public static class PublishedApp
{
    public static bool IsNative(string path) => !path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>The process to start for <paramref name="path"/>, its own path as the first argument when it runs under dotnet.</summary>
    public static ProcessStartInfo StartInfo(string path)
    {
        var info = new ProcessStartInfo(IsNative(path) ? path : "dotnet");
        if (!IsNative(path))
        {
            info.ArgumentList.Add(path);
        }
        return info;
    }
}
