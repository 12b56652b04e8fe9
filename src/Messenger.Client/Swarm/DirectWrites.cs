using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Messenger.Client.Swarm;

/// <summary>
/// Writes that bypass the page cache (Linux O_DIRECT). A download writes each verified chunk once and does not read
/// it back soon, so copying it into the page cache only costs CPU (measured: the page-cache copy was 40 % of the
/// downloader's CPU in benchmark S1, see docs/BENCHMARKS.md). O_DIRECT needs the buffer address, the file offset
/// and the length aligned to the device's block size; whatever is not (a short last chunk, a caller's own array) goes
/// through the page cache as before, and so does everything on a system or file system without O_DIRECT.
/// </summary>
public static class DirectWrites
{
    /// <summary>Covers the logical block size of every common device (512 or 4096 bytes).</summary>
    public const int Alignment = 4096;

    private const int ReadWrite = 2;
    private const int CloseOnExec = 0x80000;

    /// <summary>
    /// A second handle on an existing file, for aligned writes without the page cache; null where O_DIRECT is not
    /// available (not Linux, or the file system refuses it, as tmpfs did before Linux 6.6).
    /// </summary>
    public static SafeFileHandle? TryOpen(string path)
    {
        if (!OperatingSystem.IsLinux() || DirectFlag() is not { } direct)
        {
            return null;
        }
        var fd = Open(path, ReadWrite | CloseOnExec | direct, 0);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Whether <paramref name="data"/>, written at <paramref name="offset"/>, meets O_DIRECT's alignment rules.</summary>
    /// <remarks>The caller keeps <paramref name="pin"/> until the write is done, so the address checked is the one written from.</remarks>
    public static bool CanWrite(ReadOnlyMemory<byte> data, long offset, out System.Buffers.MemoryHandle pin)
    {
        pin = default;
        if (data.Length % Alignment != 0 || offset % Alignment != 0 || !MemoryMarshal.TryGetArray(data, out var segment) || segment.Array is null)
        {
            return false;
        }
        pin = data.Pin();
        return Marshal.UnsafeAddrOfPinnedArrayElement(segment.Array, segment.Offset) % Alignment == 0;
    }

    /// <summary>
    /// A buffer of <paramref name="length"/> bytes whose element <paramref name="alignedIndex"/> (counted from the
    /// returned start) sits on an <see cref="Alignment"/> boundary: pinned, so the address does not move.
    /// </summary>
    public static (byte[] Array, int Start) AllocateAligned(int length, int alignedIndex)
    {
        var array = GC.AllocateUninitializedArray<byte>(length + Alignment, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(array, alignedIndex);
        var start = (int)((Alignment - address % Alignment) % Alignment);
        return (array, start);
    }

    /// <summary>O_DIRECT's value differs between architectures.</summary>
    private static int? DirectFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => null,
    };

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
}
