using System.Runtime.InteropServices;

namespace Edge.Server.Hosting;

/// <summary>
/// SIGHUP means "reload" to Edge (the TLS certificate), as it does to nginx. A process started under <c>nohup</c>, or by
/// a parent that ignores SIGHUP, inherits the signal as ignored, and .NET then installs no handler for it: the reload
/// would silently never happen. <see cref="RestoreDefault"/> puts the default disposition back first, so the handler
/// registered next always receives it.
/// </summary>
internal static class HangupSignal
{
    private const int SigHup = 1;
    private const nint SigDfl = 0;

    /// <summary>Resets SIGHUP to its default disposition; call it right before registering the handler. Linux only.</summary>
    public static void RestoreDefault()
    {
        if (OperatingSystem.IsLinux())
        {
            // A failure leaves things as they were: the handler still works unless SIGHUP was inherited as ignored.
            _ = Signal(SigHup, SigDfl);
        }
    }

    // DllImport over blittable arguments needs no marshalling code and no unsafe context (native-AOT safe).
    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint Signal(int signal, nint handler);
}
