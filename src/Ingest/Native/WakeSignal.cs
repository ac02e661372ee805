using System.Runtime.InteropServices;

namespace Edge.Ingest.Native;

/// <summary>
/// An eventfd(2) that wakes a thread parked in poll(2) (see <see cref="Aeron.AeronReceiver{THandler}.WaitForDatagrams"/>):
/// any thread may <see cref="Signal"/> it; the parked thread <see cref="Reset"/>s it when it wakes. Linux only.
/// </summary>
public sealed unsafe class WakeSignal : IDisposable
{
    private int _fd;

    public WakeSignal()
    {
        _fd = LibC.EventFd(0, LibC.EfdNonBlock | LibC.EfdCloexec);
        if (_fd < 0)
        {
            throw new IOException($"eventfd failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>The descriptor to poll for readability; -1 once disposed.</summary>
    public int Fd => Volatile.Read(ref _fd);

    /// <summary>Makes the descriptor readable (adds one to the counter); never blocks, from any thread.</summary>
    public void Signal()
    {
        var fd = Volatile.Read(ref _fd);
        if (fd < 0)
        {
            return;
        }

        ulong one = 1;
        // EAGAIN only when the counter is at its maximum, i.e. already readable: nothing to do then.
        _ = LibC.Write(fd, (byte*)&one, sizeof(ulong));
    }

    /// <summary>Clears the counter, so the next poll waits again; never blocks.</summary>
    public void Reset()
    {
        var fd = Volatile.Read(ref _fd);
        if (fd < 0)
        {
            return;
        }

        ulong value;
        _ = LibC.Read(fd, (byte*)&value, sizeof(ulong));
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = LibC.Close(fd);
        }
    }
}
