using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Messenger.Server.Connections;

/// <summary>
/// Lets OpenSSL free a TLS connection's record buffers while it is idle (SSL_MODE_RELEASE_BUFFERS, as nginx does):
/// without it every idle TLS connection keeps OpenSSL's ~17 KiB read buffer and ~17 KiB write buffer (W4: 39 → 24
/// KiB per idle connection). .NET has no setting for it, so this reaches the connection's SSL* through SslStream's
/// private <c>_securityContext</c> (on Linux a SafeHandle around the SSL*; a field of a type named in the code, which
/// the trimmer keeps for Native AOT). If a runtime changes that field, <see cref="TryRelease"/> returns false and
/// nothing else changes; a test pins that it works on the runtime we ship. (An UnsafeAccessor with UnsafeAccessorType
/// for the field's internal type was tried and found nothing on .NET 10.)
/// </summary>
internal static partial class TlsIdleBuffers
{
    private const int SslCtrlMode = 33; // SSL_CTRL_MODE: ORs larg into the mode, returns the new mode.
    private const long SslModeReleaseBuffers = 0x10;
    private static readonly FieldInfo? SecurityContext = typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance);
    private static volatile bool unavailable = !OperatingSystem.IsLinux() || SecurityContext is null;

    /// <summary>
    /// Call once the handshake is done and before the stream is read or written (OpenSSL is not thread-safe per
    /// connection). True when OpenSSL now releases the buffers.
    /// </summary>
    public static bool TryRelease(SslStream stream)
    {
        if (unavailable)
        {
            return false;
        }
        // Only OpenSSL's handle type holds an SSL*: anything else is a runtime this code does not know.
        if (SecurityContext!.GetValue(stream) is not SafeHandle ssl || ssl.GetType().Name != "SafeSslHandle" || ssl.IsInvalid || ssl.IsClosed)
        {
            return false;
        }
        var added = false;
        try
        {
            ssl.DangerousAddRef(ref added);
            return (SslCtrl(ssl.DangerousGetHandle(), SslCtrlMode, SslModeReleaseBuffers, IntPtr.Zero) & SslModeReleaseBuffers) != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
            return false;
        }
        finally
        {
            if (added)
            {
                ssl.DangerousRelease();
            }
        }
    }

    [LibraryImport("libssl.so.3", EntryPoint = "SSL_ctrl")]
    private static partial long SslCtrl(IntPtr ssl, int cmd, long larg, IntPtr parg);
}
