using System.Runtime.InteropServices;

namespace Messenger.Server.Admin;

/// <summary>
/// Whether the server may read its stdin: yes for a pipe or file (EOF just closes the console), yes for a terminal
/// only while this process is the terminal's foreground group — a server started with `&amp;` must not read the
/// terminal (it would be stopped by SIGTTIN, or steal the shell's input).
/// </summary>
public static partial class ConsoleInputPolicy
{
    public static bool ShouldReadStdin()
    {
        if (Console.IsInputRedirected)
        {
            return true;
        }
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return true;
        }
        var foreground = TcGetPgrp(0);
        return foreground >= 0 && foreground == GetPgrp();
    }

    [LibraryImport("libc", EntryPoint = "tcgetpgrp")]
    private static partial int TcGetPgrp(int fd);

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    private static partial int GetPgrp();
}
