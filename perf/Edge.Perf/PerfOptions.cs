using System.Globalization;
using System.Net;
using Edge.Perf.Clients;
using Edge.Perf.Feed;

namespace Edge.Perf;

/// <summary>Everything a run is told on the command line (<c>edge-perf run|sweep|idle --key value ...</c>).</summary>
internal sealed class PerfOptions
{
    public string Command { get; set; } = "run";

    // Target: start Edge (EdgePath) or use one already running (Url + Ingest).
    public string? EdgePath { get; set; }

    public Uri? Url { get; set; }

    public IPEndPoint? Ingest { get; set; }

    public int StreamId { get; set; } = 1001;

    /// <summary>
    /// <c>--feed-channel</c>: the Aeron publication channel the feed uses instead of unicast to the Edge's ingest
    /// endpoint: a multicast group or a dynamic MDC control address that several Edges (<c>--url</c>) take.
    /// </summary>
    public string? FeedChannel { get; set; }

    public int? EdgePid { get; set; }

    public int? EdgeCpu { get; set; }

    public int? ToolCpu { get; set; }

    public int EventLoops { get; set; } = 1;

    public List<string> EdgeArguments { get; } = [];

    /// <summary>Edge, the C reference server, or both side by side (<c>--target</c>, <c>--against reference</c>).</summary>
    public PerfTargets Targets { get; set; } = PerfTargets.Edge;

    /// <summary>
    /// How the clients reach Edge, one target each (<c>--tls</c>, <c>--tls-terminator</c>, <c>--tls-compare</c>); more
    /// than one: side by side in one run, the first one's report leading.
    /// </summary>
    public List<EdgeTlsMode> EdgeModes { get; } = [EdgeTlsMode.Plain];

    /// <summary>Which reference <see cref="PerfTargets.Reference"/> is: the C server or socket.io on Node.</summary>
    public ReferenceKind Reference { get; set; } = ReferenceKind.CServer;

    /// <summary>The reference server's binary, built from perf/reference-server when missing or stale.</summary>
    public string ReferencePath { get; set; } = "artifacts/reference-server";

    public UdpBatching UdpBatching { get; set; } = UdpBatching.Tick;

    // Auth: a token to use as is, or a secret the tool mints HS256 tokens with.
    public string? Token { get; set; }

    public string? Secret { get; set; }

    public string Issuer { get; set; } = "edge-perf";

    public string Audience { get; set; } = "edge";

    public string Tenant { get; set; } = "perf";

    /// <summary>The key id put in minted tokens (and given to a started Edge with the secret).</summary>
    public string Kid { get; set; } = "edge-perf";

    // Load.
    public Transport Transport { get; set; } = Transport.WebSocket;

    public double Rate { get; set; } = 1000;

    public int Symbols { get; set; } = 1000;

    public int Connections { get; set; } = 1000;

    public int SymbolsPerConnection { get; set; } = 10;

    public SymbolPopularity Popularity { get; set; } = SymbolPopularity.Uniform;

    public double ZipfExponent { get; set; } = 1.0;

    public int Seed { get; set; } = 42;

    public double RampUpSeconds { get; set; } = 5;

    public double WarmupSeconds { get; set; } = 2;

    public double DurationSeconds { get; set; } = 10;

    public int Loops { get; set; } = 1;

    public int SourceAddresses { get; set; } = 8;

    public int MaxInFlightHandshakes { get; set; } = 256;

    public ClientWait ClientWait { get; set; } = ClientWait.Blocking;

    // Sweep.
    public List<double> Rates { get; } = [];

    public double P99TargetMs { get; set; } = 1.5;

    public double MinDeliveredRatio { get; set; } = 0.99;

    // Step response.

    /// <summary>
    /// <c>--step</c>: each rate starts from an idle server (the feed stopped and drained) with no warm-up, and the
    /// window is read in short intervals for the time until p99 is back under <see cref="P99TargetMs"/>.
    /// </summary>
    public bool StepFromIdle { get; set; }

    public double StepIntervalMs { get; set; } = 100;

    // Idle.
    public List<int> ConnectionSteps { get; } = [];

    public string? OutputDirectory { get; set; }

    public bool Progress { get; set; } = true;

    public static string Usage => """
        edge-perf run|sweep|idle [options]

        target (one of):
          --edge PATH               start this Edge binary (default: artifacts/edge) on free loopback ports
            --edge-cpu N            pin it with taskset -c N       --event-loops N  its EventLoops (default 1)
            --edge-arg K=V          extra Edge setting (--K V), repeatable; e.g. Ingest:ReceiveWait=yielding,
                                    FanOut:RingWaitStrategy=yielding (spinning waits: dedicated cores only)
          --url http://127.0.0.1:8080 --ingest 127.0.0.1:40456 [--stream-id 1001] [--edge-pid PID]
                                    an Edge already running (pid: to sample its CPU/RSS from /proc)
            --feed-channel CH       publish on this Aeron channel instead of unicast to --ingest (then not needed):
                                    aeron:udp?endpoint=239.1.1.1:40456|interface=127.0.0.1[|fc=min,t:2s] (multicast)
                                    or aeron:udp?control=127.0.0.1:40460|control-mode=dynamic (dynamic MDC)
        reference server (perf/reference-server, C, one epoll thread; its feed is plain UDP, not Aeron):
          --against reference       run every step against Edge and then the reference (same as --target both);
                                    the report gives Edge/reference ratios side by side
          --target edge|reference|socketio-node|both   (default edge)   --reference PATH (default artifacts/reference-server,
                                    built with gcc from perf/reference-server when missing or older than its source)
          --udp-batch tick|message  tick (default): a pacing tick's messages share ≤ 1408-byte datagrams; message: one each
                                    (the reference is pinned with --edge-cpu like Edge)
          --against socketio-node   with --transport socketio: the original stack instead, a socket.io 4 server on Node
                                    (perf/socketio-reference, npm ci on first use; node on PATH), same plain-UDP feed;
                                    --target socketio-node measures it alone
        TLS (WebSocket clients over TLS; a self-signed certificate made for the run):
          --tls                     Edge terminates TLS itself (Tls:Enabled; --url: an https:// Edge)
          --tls-terminator edge|haproxy|both   haproxy: HAProxy (mode tcp, one thread, pinned with --edge-cpu)
                                    terminates TLS in front of a plain Edge (--url: an http:// Edge); both: side by side
          --tls-compare             plain Edge, Edge with TLS and HAProxy + plain Edge side by side (started Edges only)
        auth: --secret BASE64 (HS256 key Edge trusts; started Edge: a fresh one) | --token JWT
              --issuer edge-perf --audience edge --tenant perf --kid edge-perf
        load:
          --transport websocket|sse|socketio --rate R (or --rates R1,R2,...: one window each) --symbols S --connections N --symbols-per-connection K
          --popularity uniform|zipf --zipf-exponent 1.0 --seed 42
          --ramp-up 5 --warmup 2 --duration 10 (seconds) --loops 1 --source-addresses 8 --max-in-flight 256
          --tool-cpu N              pin the tool's threads to CPU N
          --client-wait blocking|spin  blocking (default): client loops sleep in epoll_wait; spin: epoll_wait 0 and
                                    yield, so Edge's writes need no wake-up of the tool (its CPU shows 100 %)
        sweep: --rates 1000,2000,...,100000 (default) --p99-target-ms 1.5 --min-delivered 0.99 (--duration: per step;
               stops after two missed steps in a row; reports the highest rate sustained)
        step response (run or sweep): --step  each rate starts from idle (feed stopped, target drained, 1 s quiet),
               no warm-up: the window holds the first seconds after the jump; read in --step-interval-ms 100
               intervals, the report gives the p99 of the first 2 s, of the rest, and the time until every later
               interval's p99 stayed under --p99-target-ms
        idle:  --connections 1000,10000,50000 (steps; --symbols-per-connection 0 by default for idle)
        report: --out DIR (default artifacts/perf/<time>-<command>)  --no-progress
        """;

    public static PerfOptions Parse(string[] args)
    {
        var options = new PerfOptions();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            options.Command = args[0];
            i = 1;
        }

        if (options.Command is not ("run" or "sweep" or "idle"))
        {
            throw new ArgumentException($"unknown command '{options.Command}'");
        }

        var explicitK = false;
        for (; i < args.Length; i++)
        {
            var key = args[i];
            if (key == "--no-progress")
            {
                options.Progress = false;
                continue;
            }

            if (key == "--step")
            {
                options.StepFromIdle = true;
                continue;
            }

            if (key is "--tls" or "--tls-compare")
            {
                options.EdgeModes.Clear();
                options.EdgeModes.AddRange(key == "--tls" ? [EdgeTlsMode.Edge] : [EdgeTlsMode.Plain, EdgeTlsMode.Edge, EdgeTlsMode.Haproxy]);
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{key} needs a value");
            }

            var value = args[++i];
            switch (key)
            {
                case "--edge": options.EdgePath = value; break;
                case "--url": options.Url = new Uri(value); break;
                case "--ingest": options.Ingest = IPEndPoint.Parse(value); break;
                case "--feed-channel":
                    // Refused here with Aeron's reason rather than when the feed starts.
                    Edge.Ingest.Aeron.AeronChannel.Parse(value, Edge.Ingest.Aeron.AeronChannelUse.Publication);
                    options.FeedChannel = value;
                    break;
                case "--stream-id": options.StreamId = Int(value); break;
                case "--edge-pid": options.EdgePid = Int(value); break;
                case "--edge-cpu": options.EdgeCpu = Int(value); break;
                case "--tool-cpu": options.ToolCpu = Int(value); break;
                case "--event-loops": options.EventLoops = Int(value); break;
                case "--edge-arg":
                    var eq = value.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"--edge-arg takes KEY=VALUE (got '{value}')");
                    }

                    options.EdgeArguments.Add("--" + value[..eq]);
                    options.EdgeArguments.Add(value[(eq + 1)..]);
                    break;
                case "--against":
                    options.Reference = value.ToLowerInvariant() switch
                    {
                        "reference" => ReferenceKind.CServer,
                        "socketio-node" => ReferenceKind.SocketIoNode,
                        _ => throw new ArgumentException("--against takes reference or socketio-node"),
                    };
                    options.Targets = PerfTargets.Both;
                    break;
                case "--target":
                    options.Targets = value.ToLowerInvariant() switch
                    {
                        "edge" => PerfTargets.Edge,
                        "reference" => PerfTargets.Reference,
                        "socketio-node" => PerfTargets.Reference,
                        "both" => PerfTargets.Both,
                        _ => throw new ArgumentException("--target is edge, reference, socketio-node or both"),
                    };
                    if (value.Equals("socketio-node", StringComparison.OrdinalIgnoreCase))
                    {
                        options.Reference = ReferenceKind.SocketIoNode;
                    }

                    break;
                case "--reference": options.ReferencePath = value; break;
                case "--tls-terminator":
                    options.EdgeModes.Clear();
                    options.EdgeModes.AddRange(value.ToLowerInvariant() switch
                    {
                        "edge" => [EdgeTlsMode.Edge],
                        "haproxy" => [EdgeTlsMode.Haproxy],
                        "both" => [EdgeTlsMode.Edge, EdgeTlsMode.Haproxy],
                        _ => throw new ArgumentException("--tls-terminator is edge, haproxy or both"),
                    });
                    break;
                case "--udp-batch":
                    options.UdpBatching = value.ToLowerInvariant() switch
                    {
                        "tick" => UdpBatching.Tick,
                        "message" => UdpBatching.Message,
                        _ => throw new ArgumentException("--udp-batch is tick or message"),
                    };
                    break;
                case "--token": options.Token = value; break;
                case "--secret": options.Secret = value; break;
                case "--issuer": options.Issuer = value; break;
                case "--audience": options.Audience = value; break;
                case "--tenant": options.Tenant = value; break;
                case "--kid": options.Kid = value; break;
                case "--transport":
                    options.Transport = value.ToLowerInvariant() switch
                    {
                        "websocket" or "ws" => Transport.WebSocket,
                        "sse" => Transport.Sse,
                        "socketio" or "socket.io" => Transport.SocketIo,
                        _ => throw new ArgumentException("--transport is websocket, sse or socketio"),
                    };
                    break;
                case "--client-wait":
                    options.ClientWait = value.ToLowerInvariant() switch
                    {
                        "blocking" => ClientWait.Blocking,
                        "spin" => ClientWait.Spin,
                        _ => throw new ArgumentException("--client-wait is blocking or spin"),
                    };
                    break;
                case "--rate": options.Rate = Double(value); break;
                case "--symbols": options.Symbols = Int(value); break;
                case "--connections":
                    foreach (var part in value.Split(','))
                    {
                        options.ConnectionSteps.Add(Int(part));
                    }

                    options.Connections = options.ConnectionSteps[^1];
                    break;
                case "--symbols-per-connection": options.SymbolsPerConnection = Int(value); explicitK = true; break;
                case "--popularity":
                    options.Popularity = value.ToLowerInvariant() switch
                    {
                        "uniform" => SymbolPopularity.Uniform,
                        "zipf" => SymbolPopularity.Zipf,
                        _ => throw new ArgumentException("--popularity is uniform or zipf"),
                    };
                    break;
                case "--zipf-exponent": options.ZipfExponent = Double(value); break;
                case "--seed": options.Seed = Int(value); break;
                case "--ramp-up": options.RampUpSeconds = Double(value); break;
                case "--warmup": options.WarmupSeconds = Double(value); break;
                case "--duration": options.DurationSeconds = Double(value); break;
                case "--loops": options.Loops = Int(value); break;
                case "--source-addresses": options.SourceAddresses = Int(value); break;
                case "--max-in-flight": options.MaxInFlightHandshakes = Int(value); break;
                case "--rates":
                    foreach (var part in value.Split(','))
                    {
                        options.Rates.Add(Double(part));
                    }

                    break;
                case "--p99-target-ms": options.P99TargetMs = Double(value); break;
                case "--min-delivered": options.MinDeliveredRatio = Double(value); break;
                case "--step-interval-ms": options.StepIntervalMs = Double(value); break;
                case "--out": options.OutputDirectory = value; break;
                default: throw new ArgumentException($"unknown option {key}");
            }
        }

        if (options.Command == "idle" && !explicitK)
        {
            options.SymbolsPerConnection = 0;
        }

        if (options.Command == "sweep" && options.Rates.Count == 0)
        {
            options.Rates.AddRange([1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 50_000, 75_000, 100_000]);
        }

        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (Targets.HasFlag(PerfTargets.Reference) && Reference == ReferenceKind.CServer && (Command == "idle" || Transport != Transport.WebSocket))
        {
            throw new ArgumentException("the reference server speaks WebSocket only and measures run and sweep, not idle");
        }

        if (Targets.HasFlag(PerfTargets.Reference) && Reference == ReferenceKind.SocketIoNode && (Command == "idle" || Transport != Transport.SocketIo))
        {
            throw new ArgumentException("socketio-node (socket.io on Node) needs --transport socketio and measures run and sweep, not idle");
        }

        var tls = EdgeModes.Count != 1 || EdgeModes[0] != EdgeTlsMode.Plain;
        if (tls && (Targets != PerfTargets.Edge || Transport != Transport.WebSocket || Command == "idle"))
        {
            throw new ArgumentException("the TLS modes measure Edge alone over WebSocket, in run and sweep");
        }

        if (StepFromIdle && (Command == "idle" || StepIntervalMs < 10 || StepIntervalMs > 1000))
        {
            throw new ArgumentException("--step measures run and sweep, with --step-interval-ms 10..1000");
        }

        if (!Targets.HasFlag(PerfTargets.Edge))
        {
            ValidateLoad();
            return;
        }

        if (Url is not null && tls)
        {
            if (EdgeModes.Count != 1)
            {
                throw new ArgumentException("--url is one Edge: give --tls (an https:// Edge) or --tls-terminator haproxy (an http:// Edge), not several");
            }

            var wanted = EdgeModes[0] == EdgeTlsMode.Edge ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
            if (Url.Scheme != wanted)
            {
                throw new ArgumentException($"{(EdgeModes[0] == EdgeTlsMode.Edge ? "--tls" : "--tls-terminator haproxy")} with --url needs a {wanted}:// Edge");
            }
        }

        if (Url is null && EdgePath is null)
        {
            EdgePath = "artifacts/edge";
        }

        if (Url is not null && Ingest is null && FeedChannel is null && Command != "idle")
        {
            throw new ArgumentException("--url needs --ingest (the Edge's Aeron endpoint)");
        }

        if (Url is null && !File.Exists(EdgePath))
        {
            throw new ArgumentException($"no Edge binary at {EdgePath} (run scripts/publish, or give --edge or --url)");
        }

        ValidateLoad();
    }

    private void ValidateLoad()
    {
        if (SymbolsPerConnection > Symbols)
        {
            throw new ArgumentException("--symbols-per-connection must be at most --symbols");
        }

        if (Connections < 1 || Symbols < 1 || Loops < 1 || SourceAddresses is < 1 or > 250 || DurationSeconds <= 0 || DurationSeconds > 3600)
        {
            throw new ArgumentException("connections, symbols, loops ≥ 1; source addresses 1..250; duration 0..3600 s");
        }
    }

    private static int Int(string value) => int.Parse(value.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static double Double(string value) => double.Parse(value.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
