using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>Ends a child process the bench started (server or client), whether or not it is still running.</summary>
internal static class ProcessEnd
{
    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
    }
}
