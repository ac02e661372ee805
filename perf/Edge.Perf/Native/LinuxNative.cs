using System.Runtime.InteropServices;

namespace Edge.Perf.Native;

/// <summary>The few libc calls the tool needs that .NET does not expose: epoll, recv/send on raw fds, rlimit, affinity.</summary>
internal static unsafe class LinuxNative
{
    public const uint EpollIn = 0x001;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int MsgDontWait = 0x40;
    public const int MsgNoSignal = 0x4000;
    public const int EAgain = 11;
    public const int EIntr = 4;
    private const int RlimitNoFile = 7;

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_wait(int epfd, EpollEvent* events, int maxevents, int timeout);

    [DllImport("libc", SetLastError = true)]
    public static extern nint recv(int fd, byte* buf, nint len, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern nint send(int fd, byte* buf, nint len, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, ulong* rlim);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ulong* rlim);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint cpusetsize, ulong* mask);

    /// <summary>Raises the open-file limit towards <paramref name="wanted"/> (the hard limit too when privileged); returns the soft limit now in force.</summary>
    public static ulong RaiseOpenFileLimit(ulong wanted)
    {
        var limits = stackalloc ulong[2];
        if (getrlimit(RlimitNoFile, limits) != 0)
        {
            return 0;
        }

        if (limits[0] >= wanted)
        {
            return limits[0];
        }

        var raised = stackalloc ulong[2];
        raised[0] = wanted;
        raised[1] = Math.Max(wanted, limits[1]);
        if (setrlimit(RlimitNoFile, raised) != 0)
        {
            // Not privileged: go as far as the hard limit allows.
            raised[0] = limits[1];
            raised[1] = limits[1];
            _ = setrlimit(RlimitNoFile, raised);
        }

        _ = getrlimit(RlimitNoFile, limits);
        return limits[0];
    }

    /// <summary>Pins the calling process's future threads (and this one) to one CPU.</summary>
    public static bool PinToCpu(int cpu)
    {
        if (cpu is < 0 or > 63)
        {
            return false;
        }

        var mask = 1UL << cpu;
        return sched_setaffinity(0, sizeof(ulong), &mask) == 0;
    }
}
