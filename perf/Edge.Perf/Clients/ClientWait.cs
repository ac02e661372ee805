namespace Edge.Perf.Clients;

/// <summary>How a client loop waits for its sockets (<c>--client-wait</c>).</summary>
internal enum ClientWait
{
    /// <summary>epoll_wait with a 10 ms timeout: the thread sleeps until Edge writes (a wake-up per burst).</summary>
    Blocking,

    /// <summary>
    /// epoll_wait with a 0 timeout, Thread.Yield when nothing is ready: the tool's CPU never sleeps, so Edge's writes
    /// need no cross-CPU wake-up of the tool; that CPU shows 100 %.
    /// </summary>
    Spin,
}
