using HdrHistogram;

namespace Edge.Perf.Reports;

/// <summary>What a run found: settings, machine, connection ramp, the measured steps or idle levels.</summary>
internal sealed class PerfReport
{
    public const string EdgeName = "Edge";

    public const string ReferenceName = "reference";

    /// <summary>The original stack as a reference: a socket.io 4 server on Node (perf/socketio-reference).</summary>
    public const string SocketIoNodeName = "socket.io on Node";

    public const string EdgeTlsName = "Edge TLS";

    public const string HaproxyTlsName = "HAProxy TLS + Edge";

    public string Command { get; set; } = "run";

    /// <summary>Whose figures these are: <see cref="EdgeName"/> or <see cref="ReferenceName"/>.</summary>
    public string Target { get; set; } = EdgeName;

    /// <summary>A side-by-side run: the reference server's (or socket.io on Node's) figures at the same rates (the ratios are Edge / this).</summary>
    public PerfReport? Reference { get; set; }

    /// <summary>A TLS comparison: the other ways of reaching Edge measured in the same run (Edge's own TLS, HAProxy in front).</summary>
    public List<PerfReport> Compared { get; } = [];

    public DateTime StartedUtc { get; set; } = DateTime.UtcNow;

    public List<KeyValuePair<string, string>> Settings { get; } = [];

    public List<KeyValuePair<string, string>> Machine { get; } = [];

    public int ConnectionsWanted { get; set; }

    public int ConnectionsSubscribed { get; set; }

    public long HandshakesOk { get; set; }

    public long HandshakesFailed { get; set; }

    public long ConnectFailures { get; set; }

    public string? FirstConnectError { get; set; }

    public long SubscribeErrors { get; set; }

    public double RampSeconds { get; set; }

    public double HandshakesPerSecond => RampSeconds <= 0 ? 0 : HandshakesOk / RampSeconds;

    public LongHistogram HandshakeTimes { get; set; } = new(Clients.ClientLoop.HighestLatencyNs, 3);

    public List<StepResult> Steps { get; } = [];

    public List<IdleLevel> IdleLevels { get; } = [];

    /// <summary>After the feed stopped: subscribed (connection, symbol) pairs whose last update never arrived.</summary>
    public long FinalsMissing { get; set; } = -1;

    public long FinalsChecked { get; set; }

    public double? SustainedRate { get; set; }

    public List<string> Notes { get; } = [];

    /// <summary>The target is a reference server (the C one or socket.io on Node), not an Edge.</summary>
    public static bool IsReferenceTarget(string target) => target is ReferenceName or SocketIoNodeName;
}
