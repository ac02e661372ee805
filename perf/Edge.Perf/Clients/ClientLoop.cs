using System.Net.Security;
using System.Runtime.InteropServices;
using Edge.Perf.Native;
using Edge.Protocol.WebSockets;
using HdrHistogram;

namespace Edge.Perf.Clients;

/// <summary>
/// One client thread: an epoll set over its connections, one shared pinned receive buffer, frames parsed in
/// place. Latency (price timestamp → receipt, ns) goes into a histogram the run collects by swapping it for an
/// empty one (<see cref="TakeInterval"/>), so the loop never locks on the hot path.
/// TLS connections are not in the epoll set: each has an async pump (<see cref="SslStream"/> reads into its own
/// buffer) that parses under <see cref="_receiveLock"/>, so the loop's counters and histogram keep one writer at a time.
/// </summary>
internal sealed unsafe class ClientLoop : IDisposable
{
    /// <summary>Latencies above this (60 s) are recorded as this.</summary>
    public const long HighestLatencyNs = 60_000_000_000;

    private const int MaxEvents = 512;
    private const int BufferBytes = 1 << 20;

    private readonly int _epoll;
    private readonly PerfConnection?[] _connections;
    private readonly Transport _transport;
    private readonly ClientWait _wait;
    private readonly byte[] _buffer = GC.AllocateArray<byte>(BufferBytes, pinned: true);
    private readonly Thread _thread;
    private readonly Lock _handshakeLock = new();
    private readonly Lock _receiveLock = new();
    private readonly LongHistogram _handshakes = new(HighestLatencyNs, 3);
    private readonly List<PerfConnection> _owned = [];
    private LongHistogram _recording = new(HighestLatencyNs, 3);
    private LongHistogram? _taken;
    private int _swapRequested;
    private int _swapDone;
    private volatile bool _stop;
    private volatile bool _parked;

    public ClientLoop(int index, PerfConnection?[] connections, Transport transport, ClientWait wait = ClientWait.Blocking)
    {
        _connections = connections;
        _transport = transport;
        _wait = wait;
        _epoll = LinuxNative.epoll_create1(0);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _thread = new Thread(Run) { Name = $"perf-client-{index}", IsBackground = true };
        _thread.Start();
    }

    public LoopCounters Counters { get; } = new();

    /// <summary>
    /// Set while another target is measured (a side-by-side run): a spinning loop then waits in epoll_wait like a
    /// blocking one, so it does not take the CPU the measured target's loops need.
    /// </summary>
    public bool Parked
    {
        get => _parked;
        set => _parked = value;
    }

    /// <summary>The first refused response (head and start of body), for the report.</summary>
    public string? FirstFailure { get; private set; }

    /// <summary>Registers a connected socket and sends its request; the loop takes it from there.</summary>
    public bool Add(PerfConnection connection)
    {
        connection.State = ConnectionState.AwaitingResponse;
        lock (_owned)
        {
            _owned.Add(connection);
        }

        Volatile.Write(ref _connections[connection.Id], connection);
        var ev = new EpollEvent { Events = LinuxNative.EpollIn | LinuxNative.EpollRdHup, Data = (ulong)connection.Id };
        if (LinuxNative.epoll_ctl(_epoll, LinuxNative.EpollCtlAdd, connection.Fd, &ev) != 0)
        {
            return false;
        }

        return Send(connection, connection.Request);
    }

    /// <summary>
    /// Registers a connected TLS connection (blocking socket, <see cref="PerfConnection.Tls"/> set): its pump does
    /// the TLS handshake, sends the request and reads until the connection closes.
    /// </summary>
    public void AddTls(PerfConnection connection, SslClientAuthenticationOptions authentication)
    {
        connection.State = ConnectionState.AwaitingResponse;
        lock (_owned)
        {
            _owned.Add(connection);
        }

        Volatile.Write(ref _connections[connection.Id], connection);
        _ = TlsPump.RunAsync(this, connection, authentication);
    }

    /// <summary>Returns the latencies recorded since the last call (the caller owns the histogram until the next call).</summary>
    public LongHistogram TakeInterval()
    {
        var request = Interlocked.Increment(ref _swapRequested);
        var spins = 0;
        while (Volatile.Read(ref _swapDone) < request && !_stop && spins++ < 5000)
        {
            Thread.Sleep(1);
        }

        return _taken ?? new LongHistogram(HighestLatencyNs, 3);
    }

    /// <summary>Connect → response head times (ns) so far.</summary>
    public LongHistogram HandshakeTimes()
    {
        lock (_handshakeLock)
        {
            return (LongHistogram)_handshakes.Copy();
        }
    }

    /// <summary>Stops the thread, then closes this loop's connections.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        lock (_owned)
        {
            foreach (var connection in _owned)
            {
                if (connection.State != ConnectionState.Closed)
                {
                    connection.State = ConnectionState.Closed;
                    connection.Tls?.Dispose();
                    connection.Socket.Dispose();
                }
            }
        }

        _ = LinuxNative.close(_epoll);
    }

    private void Run()
    {
        var events = stackalloc EpollEvent[MaxEvents];
        while (!_stop)
        {
            var requested = Volatile.Read(ref _swapRequested);
            if (requested != _swapDone)
            {
                // Once a second: a fresh histogram (≈ 200 KB) beats sharing one across threads.
                var fresh = new LongHistogram(HighestLatencyNs, 3);
                lock (_receiveLock)
                {
                    _taken = _recording;
                    _recording = fresh;
                }

                Volatile.Write(ref _swapDone, requested);
            }

            // Spin: look only, and yield the CPU when nothing is ready, so this thread is never asleep when Edge writes.
            var spin = _wait == ClientWait.Spin && !_parked;
            var count = LinuxNative.epoll_wait(_epoll, events, MaxEvents, spin ? 0 : 10);
            if (count <= 0 && spin)
            {
                Thread.Yield();
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                var connection = Volatile.Read(ref _connections[(int)events[i].Data]);
                if (connection is not null && connection.State != ConnectionState.Closed)
                {
                    Read(connection);
                }
            }
        }
    }

    private void Read(PerfConnection connection)
    {
        var pending = connection.PendingLength;
        if (pending > 0)
        {
            connection.Pending.AsSpan(0, pending).CopyTo(_buffer);
        }

        nint received;
        fixed (byte* buffer = _buffer)
        {
            received = LinuxNative.recv(connection.Fd, buffer + pending, BufferBytes - pending, LinuxNative.MsgDontWait);
        }

        if (received <= 0)
        {
            if (received < 0 && Marshal.GetLastPInvokeError() is LinuxNative.EAgain or LinuxNative.EIntr)
            {
                return;
            }

            Close(connection);
            return;
        }

        Counters.BytesReceived += received;
        Consume(connection, _buffer.AsSpan(0, pending + (int)received), PerfClock.NowNs());
    }

    /// <summary>Whether the loop is being disposed (its TLS pumps stop reading).</summary>
    internal bool Stopping => _stop;

    /// <summary>
    /// One TLS read (empty: the peer closed): parsed after the bytes carried from the last read, under the receive
    /// lock. Returns false when the connection is closed and its pump should stop.
    /// </summary>
    internal bool TlsReceived(PerfConnection connection, ReadOnlySpan<byte> received)
    {
        lock (_receiveLock)
        {
            if (connection.State == ConnectionState.Closed)
            {
                return false;
            }

            var pending = connection.PendingLength;
            if (received.IsEmpty || pending + received.Length > BufferBytes)
            {
                if (!received.IsEmpty)
                {
                    Counters.Unexpected++;
                }

                Close(connection);
                return false;
            }

            Counters.BytesReceived += received.Length;
            if (pending > 0)
            {
                connection.Pending.AsSpan(0, pending).CopyTo(_buffer);
            }

            received.CopyTo(_buffer.AsSpan(pending));
            Consume(connection, _buffer.AsSpan(0, pending + received.Length), PerfClock.NowNs());
            return connection.State != ConnectionState.Closed;
        }
    }

    /// <summary>The TLS handshake or a read failed: the connection is closed (the first failure kept for the report).</summary>
    internal void TlsFailed(PerfConnection connection, Exception error)
    {
        lock (_receiveLock)
        {
            if (connection.State != ConnectionState.Closed)
            {
                FirstFailure ??= "TLS: " + error.Message;
                Close(connection);
            }
        }
    }

    private void Consume(PerfConnection connection, Span<byte> data, long now)
    {
        if (connection.State == ConnectionState.AwaitingResponse)
        {
            var head = WebSocketClientProtocol.ResponseHead(data, out var status);
            if (head == 0)
            {
                Keep(connection, data);
                return;
            }

            var expected = _transport == Transport.Sse ? 200 : 101;
            if (status != expected)
            {
                FirstFailure ??= System.Text.Encoding.ASCII.GetString(data[..Math.Min(data.Length, 400)]);
                Close(connection);
                return;
            }

            Counters.HandshakesOk++;
            lock (_handshakeLock)
            {
                _handshakes.RecordValue(Math.Clamp(now - connection.ConnectStartedNs, 0, HighestLatencyNs));
            }

            if (_transport == Transport.Sse)
            {
                connection.Sse = new SseStreamState { Chunked = SseClientProtocol.IsChunked(data[..head]) };
                connection.State = ConnectionState.Subscribed;
                Counters.Subscribed++;
            }
            else if (connection.Join.Length > 0)
            {
                connection.State = ConnectionState.Open;
                Send(connection, connection.Join);
            }
            else if (connection.Subscribe.Length > 0)
            {
                connection.State = ConnectionState.Open;
                Send(connection, connection.Subscribe);
            }
            else
            {
                connection.State = ConnectionState.Subscribed;
                Counters.Subscribed++;
            }

            data = data[head..];
        }

        if (_transport != Transport.Sse)
        {
            ReadFrames(connection, data, now);
        }
        else
        {
            ReadEvents(connection, data, now);
        }
    }

    private void ReadFrames(PerfConnection connection, Span<byte> data, long now)
    {
        while (true)
        {
            var total = WebSocketClientProtocol.FrameLength(data, out var headerLength, out var opcode);
            if (total == 0 || total > data.Length)
            {
                if (total > BufferBytes / 2)
                {
                    Counters.Unexpected++;
                    Close(connection);
                    return;
                }

                break;
            }

            var payload = data.Slice(headerLength, (int)total - headerLength);
            switch (opcode)
            {
                case (byte)WebSocketOpcode.Text when _transport == Transport.SocketIo:
                    if (SocketIoClientProtocol.IsPing(payload))
                    {
                        Send(connection, SocketIoClientProtocol.Pong(Random.Shared));
                    }
                    else
                    {
                        OnMessage(connection, SocketIoClientProtocol.Read(payload, out var socketIoPrice), socketIoPrice, now);
                    }

                    break;
                case (byte)WebSocketOpcode.Binary:
                case (byte)WebSocketOpcode.Text:
                    OnMessage(connection, WebSocketClientProtocol.Read(payload, out var price), price, now);
                    break;
                case (byte)WebSocketOpcode.Ping:
                    Send(connection, WebSocketClientProtocol.MaskedFrame(0xA, payload, Random.Shared));
                    break;
                case (byte)WebSocketOpcode.Close:
                    Close(connection);
                    return;
                default:
                    break;
            }

            data = data[(int)total..];
        }

        Keep(connection, data);
    }

    private void ReadEvents(PerfConnection connection, Span<byte> data, long now)
    {
        var state = connection.Sse!;
        var consumed = SseClientProtocol.Dechunk(state, data);
        var offset = 0;
        while (SseClientProtocol.NextEvent(state, ref offset, out var kind, out var price))
        {
            OnMessage(connection, kind, price, now);
        }

        SseClientProtocol.Compact(state, offset);
        Keep(connection, data[consumed..]);
    }

    private void OnMessage(PerfConnection connection, ServerMessageKind kind, in PriceFields price, long now)
    {
        switch (kind)
        {
            case ServerMessageKind.Price:
                OnPrice(connection, price, now);
                break;
            case ServerMessageKind.Snapshot:
                Counters.Snapshots++;
                break;
            case ServerMessageKind.Joined when connection.State == ConnectionState.Open:
                if (connection.Subscribe.Length > 0)
                {
                    Send(connection, connection.Subscribe);
                }
                else
                {
                    connection.State = ConnectionState.Subscribed;
                    Counters.Subscribed++;
                }

                break;
            case ServerMessageKind.Ack:
            case ServerMessageKind.AckWithErrors:
                Counters.Acks++;
                if (kind == ServerMessageKind.AckWithErrors)
                {
                    Counters.AckErrors++;
                }

                if (connection.State == ConnectionState.Open)
                {
                    connection.State = ConnectionState.Subscribed;
                    Counters.Subscribed++;
                }

                break;
            case ServerMessageKind.Error:
                Counters.ErrorMessages++;
                break;
            case ServerMessageKind.Malformed:
                Counters.Unexpected++;
                break;
            default:
                break;
        }
    }

    private void OnPrice(PerfConnection connection, in PriceFields price, long now)
    {
        Counters.Delivered++;
        _recording.RecordValue(Math.Clamp(now - price.Timestamp, 0, HighestLatencyNs));
        var slot = connection.SlotOf(price.Symbol);
        if (slot < 0)
        {
            Counters.Unexpected++;
            return;
        }

        var last = connection.LastSequences[slot];
        if (price.Sequence <= last)
        {
            Counters.OutOfOrder++;
            return;
        }

        if (last != 0 && price.Sequence != last + 1)
        {
            Counters.Gaps += (long)(price.Sequence - last - 1);
            Counters.GapEvents++;
        }

        connection.LastSequences[slot] = price.Sequence;
    }

    private static void Keep(PerfConnection connection, ReadOnlySpan<byte> rest)
    {
        if (rest.IsEmpty)
        {
            connection.PendingLength = 0;
            return;
        }

        if (connection.Pending is null || connection.Pending.Length < rest.Length)
        {
            connection.Pending = new byte[Math.Max(512, rest.Length * 2)];
        }

        rest.CopyTo(connection.Pending);
        connection.PendingLength = rest.Length;
    }

    private bool Send(PerfConnection connection, byte[] bytes)
    {
        if (connection.Tls is { } tls)
        {
            try
            {
                // Rare (subscribe, pong) and under the receive lock: a blocking write beside the pending read is allowed.
                tls.Write(bytes);
                return true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                return false;
            }
        }

        fixed (byte* data = bytes)
        {
            var sent = LinuxNative.send(connection.Fd, data, bytes.Length, LinuxNative.MsgNoSignal | LinuxNative.MsgDontWait);
            return sent == bytes.Length;
        }
    }

    private void Close(PerfConnection connection)
    {
        if (connection.State == ConnectionState.AwaitingResponse)
        {
            Counters.HandshakesFailed++;
        }

        connection.State = ConnectionState.Closed;
        Counters.Closed++;
        if (connection.Tls is { } tls)
        {
            tls.Dispose();
        }
        else
        {
            _ = LinuxNative.epoll_ctl(_epoll, LinuxNative.EpollCtlDel, connection.Fd, null);
        }

        connection.Socket.Dispose();
    }
}
