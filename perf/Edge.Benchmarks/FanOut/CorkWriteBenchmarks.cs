using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using DotNetty.Buffers;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Edge.Protocol.Client;
using Edge.Server.FanOut;
using Edge.Server.Transport;

namespace Edge.Benchmarks.FanOut;

/// <summary>
/// One drain's corked writes to N real loopback TCP connections, on the event loop that owns them: each session corks
/// one 190-byte frame (a MessagePack price frame's size) from pinned memory, as the fan-out corks the ring's frames,
/// and flushes it, either straight to the socket (<see cref="DirectSocketWriter"/>, <c>FanOut:DirectWrites=true</c>:
/// sent from where it lies) or through DotNetty's pipeline (copied into the connection's cork buffer). The clients are
/// raw sockets drained by one background thread, so the sockets never fill and every write is whole.
/// <para>
/// The kernel's loopback write dominates the time (several µs per write here); the difference between the two is
/// DotNetty's write path, and the allocation column shows the <c>Task</c> DotNetty 0.7.6 allocates per pipeline
/// write. One op = one loop task (submitted and awaited: a constant few hundred bytes per op) + N writes.
/// </para>
/// Run: dotnet run -c Release --project perf/Edge.Benchmarks -- --filter '*CorkWrite*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CorkWriteBenchmarks
{
    // Pinned, as the encoded-price ring's cells are: corked by reference, sent by the direct write from where it lies.
    private readonly byte[] _frame = GC.AllocateArray<byte>(190, pinned: true);
    private readonly List<Socket> _clients = [];
    private MultithreadEventLoopGroup _group = null!;
    private IChannel _listener = null!;
    private FanOutSession[] _sessions = [];
    private IEventLoop _loop = null!;
    private Thread _drainer = null!;
    private volatile bool _draining;
    private Func<int> _drain = null!;

    [Params(100)]
    public int Connections { get; set; }

    [Params(true, false)]
    public bool DirectWrites { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        DotNetty.Common.ResourceLeakDetector.Level = DotNetty.Common.ResourceLeakDetector.DetectionLevel.Disabled;
        Random.Shared.NextBytes(_frame);
        _group = EdgeEventLoop.NewGroup(1);
        var accepted = new List<IChannel>();
        var bootstrap = new ServerBootstrap()
            .Group(_group, _group)
            .ChannelFactory(static () => new TcpServerSocketChannel())
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildOption(ChannelOption.Allocator, PooledByteBufferAllocator.Default)
            .ChildHandler(new ActionChannelInitializer<IChannel>(channel =>
            {
                // As EdgeServer does: every pipeline write passes the connection's write backlog.
                channel.Pipeline.AddLast(WriteBacklog.HandlerName, new WriteBacklog());
                lock (accepted)
                {
                    accepted.Add(channel);
                }
            }));
        _listener = bootstrap.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)).GetAwaiter().GetResult();
        var endPoint = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)_listener.LocalAddress).Port);
        for (var i = 0; i < Connections; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                client.Connect(endPoint);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                // Non-blocking connect completes in the background.
            }

            _clients.Add(client);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            lock (accepted)
            {
                if (accepted.Count == Connections)
                {
                    break;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("connections were not accepted");
            }

            Thread.Sleep(10);
        }

        _loop = accepted[0].EventLoop;
        _sessions = new FanOutSession[Connections];
        for (var i = 0; i < Connections; i++)
        {
            var session = new FanOutSession(new ChannelTransport(accepted[i]), ClientEncoding.MessagePack, "bench");
            if (DirectWrites)
            {
                session.Transport.EnableDirectWrites();
            }

            _sessions[i] = session;
        }

        _draining = true;
        _drainer = new Thread(DrainClients) { IsBackground = true, Name = "bench-client-drain" };
        _drainer.Start();
        _drain = Drain;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _draining = false;
        _drainer.Join();
        _loop.SubmitAsync(() =>
        {
            foreach (var session in _sessions)
            {
                session.ReleaseCork();
            }

            return 0;
        }).GetAwaiter().GetResult();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _listener.CloseAsync().GetAwaiter().GetResult();
        _group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(5)).Wait(TimeSpan.FromSeconds(30));
    }

    /// <summary>One drain: every connection gets one corked frame, written and flushed.</summary>
    [Benchmark]
    public int Drain_N() => _loop.SubmitAsync(_drain).GetAwaiter().GetResult();

    private int Drain()
    {
        var direct = 0;
        foreach (var session in _sessions)
        {
            session.CorkPinned(_frame);
            if (session.FlushCork())
            {
                direct++;
            }
        }

        return direct;
    }

    private void DrainClients()
    {
        var buffer = new byte[64 * 1024];
        while (_draining)
        {
            var read = false;
            foreach (var client in _clients)
            {
                if (client.Available > 0)
                {
                    client.Receive(buffer, SocketFlags.None, out _);
                    read = true;
                }
            }

            if (!read)
            {
                Thread.Yield();
            }
        }
    }
}
