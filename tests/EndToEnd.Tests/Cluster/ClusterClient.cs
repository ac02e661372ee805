using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Edge.Protocol;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// A market-data client of the cluster: a raw WebSocket (ClientWebSocket and the protocol's own decoder, not the
/// SDK, whose sequence filter would hide an out-of-order price) that connects through HAProxy from its own loopback
/// address in the namespace, subscribes every symbol, and when its connection ends — a close code or a dropped
/// TCP connection — reconnects through HAProxy and subscribes again, as the SDKs do.
/// </summary>
/// <remarks>
/// Every price it gets is checked as it arrives: it must be the publisher's price for its sequence; on one
/// connection a symbol's sequences must increase (snapshot, then prices); and a new connection must not start a
/// symbol below the last sequence the previous one delivered (the snapshot after a reconnection may repeat it).
/// A failed check is kept in <see cref="ClusterClientBase.Violations"/>.
/// </remarks>
internal sealed class ClusterClient : ClusterClientBase
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly Uri _url;
    private readonly string _token;
    private readonly CancellationTokenSource _stop = new();

    // Guarded by Gate.
    private readonly Dictionary<string, ulong> _latest = [];
    private readonly Dictionary<string, ulong> _onConnection = [];
    private bool _subscribed;
    private int _snapshotPrices;
    private Task? _loop;

    public ClusterClient(int number, NetworkNamespace networkNamespace, IPAddress source, IPEndPoint balancer, string token, IReadOnlyList<string> symbols)
        : base("client" + number.ToString(CultureInfo.InvariantCulture), networkNamespace, source, symbols)
    {
        _url = new Uri($"ws://{balancer}/market-data");
        _token = token;
    }

    /// <summary>The current connection's subscription is acknowledged and its snapshot has arrived.</summary>
    public override bool Subscribed
    {
        get
        {
            lock (Gate)
            {
                return _subscribed && _snapshotPrices > 0;
            }
        }
    }

    protected override bool IsLive => _subscribed;

    /// <summary>On the current connection only: a reconnection starts over.</summary>
    protected override IReadOnlyDictionary<string, ulong> Delivered => _onConnection;

    public override void Start() => _loop = Task.Run(RunAsync);

    protected override string DescribeState() =>
        string.Create(CultureInfo.InvariantCulture, $"subscribed={_subscribed}, snapshot entries {_snapshotPrices} (delivered: on this connection)");

    protected override async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // Its socket is disposed with the invoker; nothing else to wait for.
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            string end;
            try
            {
                end = await RunConnectionAsync(_stop.Token);
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                end = e.GetType().Name + ": " + e.Message;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (Gate)
            {
                EndConnection(end);
                _subscribed = false;
                _snapshotPrices = 0;
                _onConnection.Clear();
            }

            try
            {
                // A reconnection delay with jitter, as the SDKs' backoff starts.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 300)), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One connection, from the handshake to its end; returns how it ended.</summary>
    private async Task<string> RunConnectionAsync(CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(ClientSubprotocol.MessagePack);
        socket.Options.SetRequestHeader("Authorization", "Bearer " + _token);
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            connecting.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(_url, Invoker, connecting.Token);
        }

        var buffer = new byte[256 * 1024];
        var first = true;
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), stop);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close (a draining Edge waits for it), then reconnect.
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, stop);
                return string.Create(CultureInfo.InvariantCulture, $"closed {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
            }

            if (!ServerMessageDecoder.TryDecode(ClientEncoding.MessagePack, buffer.AsMemory(0, length).ToArray(), out var message))
            {
                Violate("an undecodable server message");
                continue;
            }

            if (first)
            {
                first = false;
                if (message.Type != ServerMessageType.Connected)
                {
                    Violate($"first message {message.Type}, not connected");
                }

                CountConnection();

                var subscribe = new ArrayBufferWriter<byte>();
                ClientMessageWriter.WriteSubscribe(subscribe, ClientEncoding.MessagePack, 1, [.. Symbols]);
                await socket.SendAsync(subscribe.WrittenMemory, WebSocketMessageType.Binary, true, stop);
                continue;
            }

            switch (message.Type)
            {
                case ServerMessageType.Ack:
                    if (message.Errors is { Count: > 0 } errors)
                    {
                        Violate("subscription refused: " + string.Join(", ", errors.Select(e => $"{e.Symbol} {e.Code}")));
                    }

                    lock (Gate)
                    {
                        _subscribed = true;
                    }

                    break;
                case ServerMessageType.Snapshot:
                    foreach (var price in message.Prices!)
                    {
                        Check(price, fromSnapshot: true);
                    }

                    break;
                case ServerMessageType.Price:
                    Check(message.Price!, fromSnapshot: false);
                    break;
                case ServerMessageType.Error:
                    Violate($"error {message.Code}: {message.Message}");
                    break;
                default:
                    // heartbeat, status (feed up/down), notice, pong.
                    break;
            }
        }
    }

    private void Check(BestPrice price, bool fromSnapshot)
    {
        var where = fromSnapshot ? "snapshot" : "price";
        lock (Gate)
        {
            if (fromSnapshot)
            {
                _snapshotPrices++;
            }

            if (!CountAndCheck(price, where))
            {
                return;
            }

            if (_onConnection.TryGetValue(price.Symbol, out var previous))
            {
                if (price.Sequence <= previous)
                {
                    Violate(string.Create(CultureInfo.InvariantCulture,
                        $"{where} {price.Symbol} #{price.Sequence} after #{previous} on connection {Connections}"));
                }
            }
            else if (_latest.TryGetValue(price.Symbol, out var before) && price.Sequence < before)
            {
                Violate(string.Create(CultureInfo.InvariantCulture,
                    $"{where} {price.Symbol} #{price.Sequence} starts connection {Connections} below #{before}, the last the previous connection delivered"));
            }

            _onConnection[price.Symbol] = price.Sequence;
            _latest[price.Symbol] = price.Sequence;
        }
    }
}
