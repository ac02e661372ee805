using System.Runtime.InteropServices;

namespace Edge.Ingest.Native;

/// <summary>
/// The few libc calls the receive duty needs (Linux): blittable arguments only, so the generated stubs marshal
/// nothing and stay native-AOT clean. errno comes back through <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
internal static unsafe partial class LibC
{
    /// <summary>recvfrom(2) flag: do not block (EAGAIN instead), whatever the socket's own mode.</summary>
    public const int MsgDontWait = 0x40;

    public const int EAgain = 11;

    public const int EIntr = 4;

    public const short PollIn = 0x1;

    /// <summary>eventfd(2) flags: non-blocking reads, closed on exec.</summary>
    public const int EfdNonBlock = 0x800;

    public const int EfdCloexec = 0x80000;

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint RecvFrom(int fd, byte* buffer, nuint length, int flags, byte* address, uint* addressLength);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
