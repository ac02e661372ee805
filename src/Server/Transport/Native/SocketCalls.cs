using System.Runtime.InteropServices;

namespace Edge.Server.Transport.Native;

/// <summary>
/// The libc send calls of the direct write path (Linux): blittable arguments only, so the generated stubs marshal
/// nothing and stay native-AOT clean. errno comes back through <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
internal static unsafe partial class SocketCalls
{
    /// <summary>send flags: never block (EAGAIN instead), and no SIGPIPE on a connection the peer has reset.</summary>
    public const int DontWaitNoSignal = 0x40 | 0x4000;

    public const int EAgain = 11;

    public const int EIntr = 4;

    /// <summary>The most vectors one <c>sendmsg</c> takes here; Linux allows 1024 (IOV_MAX).</summary>
    public const int MaxVectors = 64;

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMessage(int fd, MessageHeader* header, int flags);
}
