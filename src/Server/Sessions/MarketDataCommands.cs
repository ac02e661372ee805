using System.Diagnostics;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Protocol.SocketIo;
using Edge.Server.FanOut;
using Edge.Server.Tenants;
using Edge.Server.Transport;

namespace Edge.Server.Sessions;

/// <summary>
/// The command side of one market-data session, whatever its wire shape (<see cref="MarketDataSession"/>'s protocol,
/// socket.io's events): the fan-out registration, the token bucket and its flood close, subscribe (the
/// <see cref="SubscriptionRules"/>: entitlement, quota, known or pending symbol; the update interval; the snapshot
/// payloads) and unsubscribe, and the session and subscription gauges. The session around it reads the client's
/// packets and writes the answers in its own shape. Loop thread only.
/// </summary>
public sealed class MarketDataCommands
{
    /// <summary>Why a flooding connection is closed (<see cref="CommandRateVerdict.Flooding"/>).</summary>
    public const string FloodingReason = "flooding: too many commands over the rate limit";

    private readonly SessionServices _services;
    private readonly TenantPolicy _tenant;
    private readonly TenantCounters _tenantCounters;
    private readonly CommandRateLimiter _limiter;
    private int _rejectedInARow;
    private int _subscriptionsCounted;
    private bool _ended;

    /// <summary>Registers a fan-out session for <paramref name="channel"/> on its loop and counts it open.</summary>
    public MarketDataCommands(SessionServices services, IChannel channel, ClientEncoding encoding, TenantPolicy tenant, TenantCounters tenantCounters)
    {
        Loop = services.FanOut.For(channel.EventLoop);
        Session = new FanOutSession(new ChannelTransport(channel), encoding, tenant.Name);
        Loop.Register(Session);
        Encoding = encoding;
        _services = services;
        _tenant = tenant;
        _tenantCounters = tenantCounters;
        _limiter = new CommandRateLimiter(tenant.Options.CommandBurst, tenant.Options.CommandsPerSecond, Stopwatch.GetTimestamp());
        services.Counters.Sessions.Increment();
        services.Counters.SessionsOpened.Increment();
        tenantCounters.Sessions.Increment();
    }

    public ClientEncoding Encoding { get; }

    public LoopFanOut Loop { get; }

    public FanOutSession Session { get; }

    /// <summary>Takes a token for one command; counts the refusals and the flood closes.</summary>
    public CommandRateVerdict TakeCommand()
    {
        if (_limiter.TryTake(Stopwatch.GetTimestamp()))
        {
            _rejectedInARow = 0;
            return CommandRateVerdict.Within;
        }

        _services.Counters.RateLimited.Increment();
        _tenantCounters.RateLimited.Increment();
        if (++_rejectedInARow >= _services.Options.FloodCloseAfterRejected)
        {
            _services.Counters.FloodCloses.Increment();
            return CommandRateVerdict.Flooding;
        }

        return CommandRateVerdict.Over;
    }

    /// <summary>
    /// Subscribes each symbol the rules allow, at the interval <paramref name="maxRate"/> asks for (capped by the
    /// tenant's). <paramref name="subscribed"/> lists them; <paramref name="errors"/> holds
    /// <paramref name="symbolErrors"/> and each refusal; <paramref name="snapshot"/> the latest price of each subscribed
    /// symbol that has one, as sent to this session's encoding (a payload, or socket.io's price object), copied.
    /// </summary>
    public void Subscribe(
        IReadOnlyList<string> symbols,
        IReadOnlyList<SymbolError> symbolErrors,
        int? maxRate,
        out List<string> subscribed,
        out List<SymbolError> errors,
        out List<ReadOnlyMemory<byte>> snapshot)
    {
        subscribed = new List<string>(symbols.Count);
        errors = new List<SymbolError>(symbolErrors);
        snapshot = new List<ReadOnlyMemory<byte>>(symbols.Count);
        var interval = SubscriptionRules.IntervalTicks(_tenant, maxRate);
        foreach (var symbol in symbols)
        {
            var refusal = SubscriptionRules.Check(_tenant, _services.SymbolAdmission, Session.Subscriptions, symbol, out var symbolId, out var reason);
            if (refusal is { } code)
            {
                errors.Add(new SymbolError(symbol, code, reason));
                _services.Counters.SymbolRefusals(code).Increment();
                _tenantCounters.SymbolRefusals(code).Increment();
                continue;
            }

            var latest = Loop.Subscribe(Session, symbolId, interval);
            subscribed.Add(symbol);
            if (latest is not null)
            {
                var frame = latest.Frame(Encoding);
                snapshot.Add((Encoding == ClientEncoding.SocketIo ? SocketIoPriceEncoder.PriceObjectOf(frame) : SnapshotAssembler.PayloadOf(frame)).ToArray());
            }
        }

        CountSubscriptions();
    }

    /// <summary>
    /// Unsubscribes each symbol and lists every one: afterwards none is subscribed, whether it was before or not (or is
    /// not known at all), as docs/protocol.md says; UNKNOWN_SYMBOL means "not carried", not "not held".
    /// </summary>
    public List<string> Unsubscribe(IReadOnlyList<string> symbols)
    {
        var unsubscribed = new List<string>(symbols.Count);
        foreach (var symbol in symbols)
        {
            var symbolId = _services.Symbols.Find(symbol);
            if (symbolId >= 0)
            {
                Loop.Unsubscribe(Session, symbolId);
            }

            unsubscribed.Add(symbol);
        }

        CountSubscriptions();
        return unsubscribed;
    }

    /// <summary>Ends the session: every subscription released, its counts undone. Idempotent.</summary>
    public void End()
    {
        if (_ended)
        {
            return;
        }

        // The fan-out may have let go of it already (slow consumer, shutdown drain); Unregister is idempotent.
        _ended = true;
        Loop.Unregister(Session);
        _services.Counters.Sessions.Decrement();
        _tenantCounters.Sessions.Decrement();
        _tenantCounters.Subscriptions.Add(-_subscriptionsCounted);
        _subscriptionsCounted = 0;
    }

    /// <summary>
    /// When to look at a token's expiry again, <paramref name="left"/> before it: timers further out than a day are
    /// re-armed daily; never below 5 ms (a timer under 1 ms spins the loop).
    /// </summary>
    public static TimeSpan ExpiryCheckDelay(TimeSpan left) =>
        left < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : left > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : left;

    /// <summary>Brings the tenant's subscription gauge up to date after a command (not per price).</summary>
    private void CountSubscriptions()
    {
        var held = Session.Subscriptions.Count;
        _tenantCounters.Subscriptions.Add(held - _subscriptionsCounted);
        _subscriptionsCounted = held;
    }
}
