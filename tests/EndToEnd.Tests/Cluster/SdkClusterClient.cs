using System.Globalization;
using System.Net;
using Edge.Client;
using Edge.Protocol;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// A cluster client on the .NET SDK (<see cref="MarketDataClient"/>): its own reconnection (backoff, then every
/// symbol resubscribed) carries it from a killed or draining Edge to another through HAProxy. Its connections are
/// made in the namespace from its own address (<see cref="MarketDataClientOptions.HttpInvoker"/>). The SDK drops a
/// price not newer than the last it delivered, so order is checked on the wire by <see cref="ClusterClient"/>;
/// here every delivered price must be the publisher's, and every SDK error counts as a violation.
/// </summary>
internal sealed class SdkClusterClient : ClusterClientBase
{
    private readonly MarketDataClient _client;

    // Guarded by Gate.
    private readonly Dictionary<string, ulong> _latest = [];
    private bool _subscribed;
    private Task? _start;

    public SdkClusterClient(int number, NetworkNamespace networkNamespace, IPAddress source, IPEndPoint balancer, string token, IReadOnlyList<string> symbols)
        : base("sdk-client" + number.ToString(CultureInfo.InvariantCulture), networkNamespace, source, symbols)
    {
        _client = new MarketDataClient(new MarketDataClientOptions
        {
            Url = new Uri($"ws://{balancer}/market-data"),
            Token = token,
            HttpInvoker = Invoker,
            // No limit on attempts: the test's own waits bound it. A short first delay keeps the test quick.
            MaxReconnectAttempts = 0,
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(200),
            MaxReconnectDelay = TimeSpan.FromSeconds(2),
        });
        _client.Connected += (_, _) => CountConnection();
        _client.Disconnected += (_, e) =>
            EndConnection(e.CloseCode == 1006 ? $"dropped (1006) {e.Reason}" : string.Create(CultureInfo.InvariantCulture, $"closed {e.CloseCode} {e.Reason}"));
        _client.Error += (_, e) => Violate($"SDK error {e.Code}: {e.Message}");
        foreach (var symbol in symbols)
        {
            _client.OnPrice(symbol, OnPrice);
        }
    }

    public override string? Address => _client.IsConnected ? base.Address : null;

    public override bool Subscribed
    {
        get
        {
            lock (Gate)
            {
                return _subscribed && _client.IsConnected && _latest.Count == Symbols.Count;
            }
        }
    }

    protected override bool IsLive => _subscribed && _client.IsConnected;

    /// <summary>Over every connection: the SDK delivers no price older than the last.</summary>
    protected override IReadOnlyDictionary<string, ulong> Delivered => _latest;

    public override void Start() => _start = StartAsync();

    protected override string DescribeState() => $"SDK connected={_client.IsConnected}";

    protected override async Task StopAsync()
    {
        await _client.DisposeAsync();
        if (_start is not null)
        {
            try
            {
                await _start;
            }
            catch (Exception e) when (e is MarketDataException or OperationCanceledException or ObjectDisposedException)
            {
                // The first connection or subscription was still going: it is already in Violations.
            }
        }
    }

    private async Task StartAsync()
    {
        try
        {
            await _client.ConnectAsync();
            var ack = await _client.SubscribeAsync([.. Symbols]);
            if (ack.Errors.Count > 0)
            {
                Violate("subscription refused: " + string.Join(", ", ack.Errors.Select(e => $"{e.Symbol} {e.Code}")));
            }

            lock (Gate)
            {
                _subscribed = true;
            }
        }
        catch (Exception e)
        {
            Violate($"first connection or subscription failed: {e.GetType().Name}: {e.Message}");
            throw;
        }
    }

    private void OnPrice(BestPrice price)
    {
        lock (Gate)
        {
            if (CountAndCheck(price, "price"))
            {
                _latest[price.Symbol] = price.Sequence;
            }
        }
    }
}
