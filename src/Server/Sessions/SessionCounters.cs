using Edge.Protocol.Client;
using Edge.Server.Metrics;

namespace Edge.Server.Sessions;

/// <summary>Session-level counters: sessions, commands by type, refusals by reason, closes by cause.</summary>
public sealed class SessionCounters
{
    private readonly MetricsRegistry _metrics;

    public SessionCounters(MetricsRegistry metrics)
    {
        _metrics = metrics;
        Sessions = metrics.Gauge("edge_sessions", "Market-data sessions (WebSocket) open now.");
        SessionsOpened = metrics.Counter("edge_sessions_opened_total", "Market-data sessions opened.");
        RateLimited = metrics.Counter("edge_rate_limited_total", "Client commands refused by the rate limit.");
        FloodCloses = metrics.Counter("edge_flood_closes_total", "Clients closed with 1008 for flooding.");
        TokenExpiredCloses = metrics.Counter("edge_token_expired_closes_total", "Clients closed with 4001 when their token expired.");
        IdleCloses = metrics.Counter("edge_idle_closes_total", "Clients closed for sending nothing (not even pongs).");
        InvalidCommands = metrics.Counter("edge_invalid_commands_total", "Client messages that were not valid commands.");
        foreach (var type in Enum.GetValues<ClientCommandType>())
        {
            _commands[(int)type] = metrics.Counter(
                "edge_commands_total", "Client commands accepted, by type.", MetricLabels.Of("type", type.ToString().ToLowerInvariant()));
        }
    }

    private readonly Counter[] _commands = new Counter[Enum.GetValues<ClientCommandType>().Length + 1];

    public Gauge Sessions { get; }

    public Counter SessionsOpened { get; }

    public Counter RateLimited { get; }

    public Counter FloodCloses { get; }

    public Counter TokenExpiredCloses { get; }

    public Counter IdleCloses { get; }

    public Counter InvalidCommands { get; }

    public Counter Commands(ClientCommandType type) => _commands[(int)type];

    public Counter SymbolRefusals(ErrorCode code) =>
        _metrics.Counter("edge_symbol_refusals_total", "Symbols refused in subscribe requests, by reason.", MetricLabels.Of("reason", ErrorCodes.WireName(code)));
}
