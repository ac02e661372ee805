using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Edge.Ingest.Aeron;

/// <summary>
/// An embedded Aeron UDP subscriber for one stream: no media driver needed. A real Aeron publisher (C or Java driver)
/// pointed at <see cref="AeronReceiverOptions.Endpoint"/> feeds it unchanged: unicast, a multicast group, or a
/// dynamic MDC publication whose control address is <see cref="AeronReceiverOptions.Control"/>.
/// </summary>
/// <remarks>
/// <para>Threads: exactly one, named by <see cref="AeronReceiverOptions.ThreadName"/> ("aeron-receiver"), started by
/// <see cref="Start"/>. By default (<see cref="AeronReceiveWait.Blocking"/>) it blocks in poll(2) on the socket until
/// a datagram arrives or the next protocol timer (status message, NAK, liveness) falls due, capped at
/// <see cref="AeronReceiverOptions.PollTimeout"/>. With <see cref="AeronReceiveWait.Yielding"/> or
/// <see cref="AeronReceiveWait.BusySpin"/> (<see cref="AeronReceiverOptions.ReceiveWait"/>) it never sleeps: poll(2)
/// with a zero timeout, then a yield (or a PAUSE) when nothing came, so a datagram needs no wake-up of a sleeping
/// thread. Either way it receives a batch of datagrams, hands each to the dispatcher (placing, reassembling and
/// delivering messages to the handler on this same thread), tells the handler the batch has ended
/// (<see cref="IAeronMessageHandler.OnBatchEnd"/>), then runs the timers when due. Exceptions are caught,
/// counted and passed to the error callback; the thread only ends on <see cref="Dispose"/>.</para>
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
    private readonly long _pollTimeoutNs;
    private readonly AeronReceiveWait _receiveWait;
    private readonly string _threadName;
    private readonly Lock _lifecycle = new();
    private Thread? _thread;
    private volatile bool _stopping;
    private bool _disposed;

    /// <summary>Binds the socket (so <see cref="LocalEndPoint"/> is known) but receives nothing until <see cref="Start"/>.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="handler">Gets messages and image/feed events on the receive thread.</param>
    /// <param name="errorHandler">Gets every exception caught on the receive thread (handler or receiver); may be null.</param>
    public AeronReceiver(AeronReceiverOptions options, THandler handler, Action<Exception>? errorHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _errorHandler = errorHandler;
        _pollTimeoutNs = MonotonicClock.ToNanoseconds(options.PollTimeout);
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

        _source = new SocketAddress(_socket.AddressFamily);
        _sourceCapacity = _source.Size;
        Counters = new AeronReceiverCounters();
        _dispatcher = new AeronDataPacketDispatcher<THandler>(
            options, handler, new UdpControlTransport(_socket), Counters, ReceiverId, errorHandler);
    }

    /// <summary>Unicast, multicast or MDC (from the options).</summary>
    public AeronChannelKind Kind { get; }

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

    private void Run()
    {
        var nextTimerNs = MonotonicClock.NowNanoseconds;
        while (!_stopping)
        {
            try
            {
                // Spinning kinds only look (a zero wait); the loop itself is their wait.
                var spinning = _receiveWait != AeronReceiveWait.Blocking;
                var received = ReceiveBatch(spinning ? 0 : nextTimerNs - MonotonicClock.NowNanoseconds);
                var nowNs = MonotonicClock.NowNanoseconds;
                if (received || nowNs - nextTimerNs >= 0)
                {
                    nextTimerNs = _dispatcher.OnTimers(nowNs);
                }
                else if (_receiveWait == AeronReceiveWait.Yielding)
                {
                    // sched_yield: Edge's other threads on this core (frame stage, event loops) run when they want to.
                    Thread.Yield();
                }
                else if (spinning)
                {
                    Ring.CpuPause.Once();
                }
            }
            catch (Exception e)
            {
                Counters.ReceiverError();
                ErrorCallback.Report(_errorHandler, e);

                // A persistent fault (a broken socket) must not turn this loop into a spin.
                Thread.Sleep(1);
                nextTimerNs = MonotonicClock.NowNanoseconds;
            }
        }
    }

    /// <summary>Waits up to <paramref name="waitNs"/> (rounded up to whole ms, poll's unit) for data; takes a batch.</summary>
    private bool ReceiveBatch(long waitNs)
    {
        var waitMicros = waitNs <= 0 ? 0 : (int)Math.Min(Math.Max(((waitNs + 999_999) / 1_000_000) * 1000, 1000), int.MaxValue);
        if (!_socket.Poll(waitMicros, SelectMode.SelectRead))
        {
            return false;
        }

        var received = 0;
        try
        {
            do
            {
                _source.Size = _sourceCapacity;
                var length = _socket.ReceiveFrom(_datagram, SocketFlags.None, _source);
                _dispatcher.OnDatagram(_datagram.AsSpan(0, length), _source, MonotonicClock.NowNanoseconds);
            }
            while (++received < MaxBatch && !_stopping && _socket.Available > 0);
        }
        finally
        {
            // Once per batch, also when a receive failed part-way: what the batch delivered is published either way.
            _dispatcher.OnBatchEnd();
        }

        return true;
    }
}
