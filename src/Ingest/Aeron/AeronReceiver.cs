using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Edge.Ingest.Concurrency;
using Edge.Ingest.Native;

namespace Edge.Ingest.Aeron;

/// <summary>
/// An embedded Aeron UDP subscriber for one stream: no media driver needed. A real Aeron publisher (C or Java driver)
/// pointed at <see cref="AeronReceiverOptions.Endpoint"/> feeds it unchanged: unicast, a multicast group, or a
/// dynamic MDC publication whose control address is <see cref="AeronReceiverOptions.Control"/>.
/// </summary>
/// <remarks>
/// <para>Threads: by default exactly one, named by <see cref="AeronReceiverOptions.ThreadName"/> ("aeron-receiver"),
/// started by <see cref="Start"/>. By default (<see cref="AeronReceiveWait.Blocking"/>) it blocks in poll(2) on the
/// socket until a datagram arrives or the next protocol timer (status message, NAK, liveness) falls due, capped at
/// <see cref="AeronReceiverOptions.PollTimeout"/>. With <see cref="AeronReceiveWait.Yielding"/> or
/// <see cref="AeronReceiveWait.BusySpin"/> (<see cref="AeronReceiverOptions.ReceiveWait"/>) it never sleeps: it looks
/// with a non-blocking receive, then yields (or PAUSEs) when nothing came, so a datagram needs no wake-up of a
/// sleeping thread. Either way each turn is <see cref="ReceiveOnce"/>: a batch of datagrams taken with non-blocking
/// recvfrom(2) until the socket is empty, each handed to the dispatcher (placing, reassembling and delivering messages
/// to the handler on this same thread), the batch's end told to the handler (<see cref="IAeronMessageHandler.OnBatchEnd"/>),
/// then the timers when due. Exceptions are caught, counted and passed to the error callback; the thread only ends on
/// <see cref="Dispose"/>.</para>
/// <para>Instead of <see cref="Start"/>, another thread may drive the receiver (Edge's event loop with
/// <c>Ingest:ReceiveOn=loop</c>): it calls <see cref="ReceiveOnce"/> and, when idle, parks in
/// <see cref="WaitForDatagrams"/> (which also wakes on its eventfd), from one thread at a time, and stops doing so
/// before <see cref="Dispose"/>. Linux only (recvfrom, poll and eventfd through <c>LibraryImport</c>).</para>
/// <para>The handler is a generic parameter so that a struct handler is called without virtual dispatch.</para>
/// </remarks>
public sealed class AeronReceiver<THandler> : IDisposable
    where THandler : IAeronMessageHandler
{
    private const int MaxDatagramLength = 65536;
    private const int MaxBatch = 64;

    private readonly Socket _socket;
    private readonly AeronDataPacketDispatcher<THandler> _dispatcher;
    private readonly Action<Exception>? _errorHandler;
    private readonly byte[] _datagram = GC.AllocateUninitializedArray<byte>(MaxDatagramLength, pinned: true);
    private readonly SocketAddress _source;
    private readonly int _sourceCapacity;
    private readonly AeronReceiveWait _receiveWait;
    private readonly string _threadName;
    private readonly Lock _lifecycle = new();
    private Thread? _thread;
    private readonly int _fd;
    private volatile bool _stopping;
    private bool _disposed;
    private long _nextTimerNs = MonotonicClock.NowNanoseconds;

    /// <summary>Binds the socket (so <see cref="LocalEndPoint"/> is known) but receives nothing until <see cref="Start"/>.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="handler">Gets messages and image/feed events on the receive thread.</param>
    /// <param name="errorHandler">Gets every exception caught on the receive thread (handler or receiver); may be null.</param>
    public AeronReceiver(AeronReceiverOptions options, THandler handler, Action<Exception>? errorHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _errorHandler = errorHandler;
        _receiveWait = options.ReceiveWait;
        Kind = options.Kind;
        _threadName = options.ThreadName;
        ReceiverId = options.ReceiverId ?? BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

        _socket = new Socket(options.Endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (options.SocketReceiveBufferSize > 0)
            {
                _socket.ReceiveBufferSize = options.SocketReceiveBufferSize;
            }

            if (options.Kind == AeronChannelKind.Multicast)
            {
                // One socket joins both groups: DATA/SETUP on the data group, and the other receivers' NAKs on the
                // control group (NAK suppression); it sends SMs and NAKs to the control group.
                var control = AeronChannel.ControlGroupOf(options.Endpoint);
                MulticastSockets.BindShared(_socket, options.Endpoint.Port, options.MulticastInterface, options.Endpoint.Address, control.Address);
                MulticastSockets.ConfigureSend(_socket, options.MulticastInterface, options.MulticastTtl);
            }
            else
            {
                _socket.Bind(options.Endpoint);
            }

            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            SocketReceiveBufferSize = _socket.ReceiveBufferSize;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        _fd = (int)_socket.SafeHandle.DangerousGetHandle();
        _source = new SocketAddress(_socket.AddressFamily);
        _sourceCapacity = _source.Size;
        Counters = new AeronReceiverCounters();
        _dispatcher = new AeronDataPacketDispatcher<THandler>(
            options, handler, new UdpControlTransport(_socket), Counters, ReceiverId, errorHandler);
    }

    /// <summary>Unicast, multicast or MDC (from the options).</summary>
    public AeronChannelKind Kind { get; }

    /// <summary>True when <see cref="AeronReceiverOptions.ReceiveWait"/> is a kind that never sleeps.</summary>
    public bool ReceiveWaitSpins => _receiveWait != AeronReceiveWait.Blocking;

    /// <summary>Most datagrams <see cref="ReceiveOnce"/> takes in one batch.</summary>
    public int BatchLimit => MaxBatch;

    /// <summary>The address the socket is bound to (the actual port if 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The receiver id sent in every status message; constant for the receiver's life.</summary>
    public long ReceiverId { get; }

    /// <summary>SO_RCVBUF as the kernel granted it (Linux reports twice what it keeps for bookkeeping).</summary>
    public int SocketReceiveBufferSize { get; }

    /// <summary>Counters, readable from any thread.</summary>
    public AeronReceiverCounters Counters { get; }

    /// <summary>True while at least one image is live (readable from any thread).</summary>
    public bool IsFeedUp => Counters.ActiveImages > 0;

    /// <summary>Starts the receive thread. Calling it twice is an error.</summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_thread is not null)
            {
                throw new InvalidOperationException("The receiver is already started.");
            }

            _thread = new Thread(Run) { Name = _threadName, IsBackground = true };
            _thread.Start();
        }
    }

    /// <summary>
    /// Stops the thread, sends an EOS status message to every publisher, reports every live image unavailable
    /// (and the feed down) to the handler on the calling thread, and closes the socket. Must not be called from
    /// the handler (the receive thread cannot wait for itself).
    /// </summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_lifecycle)
        {
            if (_disposed)
            {
                return;
            }

            if (_thread is not null && Thread.CurrentThread == _thread)
            {
                throw new InvalidOperationException("Dispose the receiver from another thread than its own handler.");
            }

            _disposed = true;
            _stopping = true;
            thread = _thread;
        }

        thread?.Join();
        try
        {
            _dispatcher.Close(MonotonicClock.NowNanoseconds);
        }
        catch (Exception e)
        {
            Counters.ReceiverError();
            ErrorCallback.Report(_errorHandler, e);
        }

        _socket.Dispose();
    }

    /// <summary>
    /// The receive duty, for a caller that runs it on its own thread (an event loop: <c>Ingest:ReceiveOn=loop</c>)
    /// instead of <see cref="Start"/>: never blocks. Receives up to a batch of datagrams with non-blocking
    /// recvfrom(2) until the socket has no more, hands each to the dispatcher (and so the handler), ends the batch
    /// (<see cref="IAeronMessageHandler.OnBatchEnd"/>), and runs the protocol timers when anything came or they are
    /// due. Fewer datagrams than <see cref="BatchLimit"/> means the socket had no more. Returns the work done, the datagrams
    /// received (what an idle strategy goes by), or -1 when an exception was caught,
    /// counted and reported (back off a little before calling again). Call it from one thread at a time only, and
    /// not after <see cref="Dispose"/>.
    /// </summary>
    public int ReceiveOnce()
    {
        try
        {
            var received = ReceiveBatch();
            var nowNs = MonotonicClock.NowNanoseconds;
            if (received > 0 || nowNs - _nextTimerNs >= 0)
            {
                _dispatcher.OnTimers(nowNs);
                _nextTimerNs = _dispatcher.NextTimerNs;
            }

            return received;
        }
        catch (Exception e)
        {
            Counters.ReceiverError();
            ErrorCallback.Report(_errorHandler, e);
            _nextTimerNs = MonotonicClock.NowNanoseconds;
            return -1;
        }
    }

    /// <summary>
    /// Parks the calling thread in poll(2) until a datagram is waiting, <paramref name="wake"/> is signalled (then it
    /// is reset), the protocol timers fall due, or <paramref name="maxWaitNs"/> passes (rounded up to whole ms,
    /// poll's unit; 0 or less only looks). Then call <see cref="ReceiveOnce"/>.
    /// </summary>
    public unsafe void WaitForDatagrams(WakeSignal? wake, long maxWaitNs)
    {
        var timeoutNs = Math.Min(maxWaitNs, _nextTimerNs - MonotonicClock.NowNanoseconds);
        var timeoutMs = timeoutNs <= 0 ? 0 : (int)Math.Min((timeoutNs + 999_999) / 1_000_000, int.MaxValue);
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = _fd, Events = LibC.PollIn };
        var count = 1;
        if (wake is not null)
        {
            fds[1] = new PollFd { Fd = wake.Fd, Events = LibC.PollIn };
            count = 2;
        }

        // EINTR (a signal) just ends the wait early; the caller looks again.
        if (LibC.Poll(fds, (nuint)count, timeoutMs) > 0 && count == 2 && fds[1].Revents != 0)
        {
            wake!.Reset();
        }
    }

    private void Run()
    {
        switch (_receiveWait)
        {
            case AeronReceiveWait.Yielding:
                ReceiveLoop(default(YieldingIdleStrategy));
                break;
            case AeronReceiveWait.BusySpin:
                ReceiveLoop(default(BusySpinIdleStrategy));
                break;
            default:
                ReceiveLoop(new AeronBlockingIdleStrategy<THandler>(this));
                break;
        }
    }

    /// <summary>
    /// The receive thread's loop, compiled once per idle strategy (a struct type parameter, so its
    /// <see cref="IIdleStrategy.Idle"/> is inlined): receive, then idle on the work done.
    /// </summary>
    private void ReceiveLoop<TIdle>(TIdle idle)
        where TIdle : struct, IIdleStrategy
    {
        _nextTimerNs = MonotonicClock.NowNanoseconds;
        while (!_stopping)
        {
            var workCount = ReceiveOnce();
            if (workCount < 0)
            {
                // A persistent fault (a broken socket) must not turn this loop into a spin.
                Thread.Sleep(1);
            }

            idle.Idle(workCount);
        }
    }

    /// <summary>
    /// Takes what the socket holds, up to a batch, without waiting; ends the batch if it got anything. Returns the work
    /// done: the datagrams taken.
    /// </summary>
    private int ReceiveBatch()
    {
        var received = 0;
        try
        {
            while (received < MaxBatch && !_stopping)
            {
                var length = ReceiveDatagram();
                if (length < 0)
                {
                    break;
                }

                received++;
                _dispatcher.OnDatagram(_datagram.AsSpan(0, length), _source, MonotonicClock.NowNanoseconds);
            }
        }
        finally
        {
            // Once per batch, also when a datagram failed part-way: what the batch delivered is published either way.
            if (received > 0)
            {
                _dispatcher.OnBatchEnd();
            }
        }

        return received;
    }

    /// <summary>
    /// One non-blocking recvfrom(2) into the datagram buffer and <see cref="_source"/> (whose buffer is the native
    /// sockaddr); the length, or -1 when nothing is waiting. One system call per datagram: no FIONREAD before it.
    /// </summary>
    private unsafe int ReceiveDatagram()
    {
        nint length;
        uint addressLength = (uint)_sourceCapacity;
        fixed (byte* buffer = _datagram)
        fixed (byte* address = _source.Buffer.Span)
        {
            length = LibC.RecvFrom(_fd, buffer, (nuint)_datagram.Length, LibC.MsgDontWait, address, &addressLength);
        }

        if (length < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EAgain || errno == LibC.EIntr)
            {
                return -1;
            }

            throw new SocketException(errno);
        }

        _source.Size = (int)Math.Min(addressLength, (uint)_sourceCapacity);
        return (int)length;
    }
}
