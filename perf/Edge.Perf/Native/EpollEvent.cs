using System.Runtime.InteropServices;

namespace Edge.Perf.Native;

/// <summary><c>struct epoll_event</c> on x86-64 Linux: packed, 12 bytes (events, then 64-bit user data).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct EpollEvent
{
    public uint Events;
    public ulong Data;
}
