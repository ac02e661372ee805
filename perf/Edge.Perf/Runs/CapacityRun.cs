using System.Diagnostics;
using System.Globalization;
using System.Net;
using Edge.Perf.Clients;
using Edge.Perf.Feed;
using Edge.Perf.Native;
using Edge.Perf.Reports;
using Edge.Perf.Target;
using HdrHistogram;

namespace Edge.Perf.Runs;

/// <summary>
/// Runs one command end to end: target Edge up, feed primed, connections ramped and subscribed, then the
/// measured window(s) (run: one rate; sweep: rising rates until one misses; idle: memory per connection).
/// </summary>
internal sealed class CapacityRun
{
    private static readonly string[] CounterFamilies =
    [
        "edge_ingest_messages_total", "edge_ingest_rejected_total", "edge_aeron_dropped_total", "edge_aeron_naks_sent_total",
        "edge_ring_full_waits_total", "edge_fanout_deliveries_total", "edge_fanout_writes_total", "edge_fanout_drains_total",
        "edge_fanout_conflated_total", "edge_fanout_bytes_total", "edge_slow_consumer_closes_total",
        "dotnet_gc_allocated_bytes_total", "dotnet_gc_collections_total", "process_cpu_seconds_total",
    ];

    private static readonly string[] GaugeFamilies =
    [
        "edge_sessions", "edge_subscriptions", "edge_symbols", "dotnet_gc_heap_bytes", "process_resident_memory_bytes", "process_threads",
    ];

    private readonly PerfOptions _options;
    private readonly TextWriter _console;
    private readonly PerfReport _report;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ProcessSampler _self = ProcessSampler.Self();
    private EdgeUnderTest? _edge;
    private ProcessSampler? _edgeSampler;
    private PriceFeed? _feed;
    private ClientPool? _pool;

    public CapacityRun(PerfOptions options, TextWriter console)
    {
        _options = options;
        _console = console;
        _report = new PerfReport { Command = options.Command, ConnectionsWanted = options.Connections };
    }

    public static async Task<PerfReport> ExecuteAsync(PerfOptions options, TextWriter console, CancellationToken cancel)
    {
        var run = new CapacityRun(options, console);
        return await run.ExecuteAsync(cancel);
    }

    private async Task<PerfReport> ExecuteAsync(CancellationToken cancel)
    {
        var o = _options;
        var fdLimit = LinuxNative.RaiseOpenFileLimit((ulong)(o.Connections + 4096));
        if (fdLimit < (ulong)(o.Connections + 100))
        {
            throw new InvalidOperationException($"open-file limit {fdLimit} is below {o.Connections} connections: raise ulimit -n");
        }

        if (o.ToolCpu is { } toolCpu && !LinuxNative.PinToCpu(toolCpu))
        {
            _report.Notes.Add($"could not pin the tool to CPU {toolCpu}");
        }

        var secret = o.Secret ?? (o.Url is null ? TokenMinter.NewSecret() : null);
        var token = o.Token ?? (secret is not null
            ? TokenMinter.Issue(secret, o.Kid, o.Issuer, o.Audience, o.Tenant, TimeSpan.FromHours(12))
            : throw new ArgumentException("an existing Edge needs --token or --secret"));
        var output = OutputDirectory();
        Describe(output, fdLimit);

        _edge = o.Url is null
            ? await EdgeUnderTest.StartAsync(o, secret!, Path.Combine(output, "edge.log"))
            : EdgeUnderTest.Existing(o.Url, o.Ingest ?? new IPEndPoint(IPAddress.Loopback, 40456), o.EdgePid);
        try
        {
            _edgeSampler = _edge.Pid is { } pid ? new ProcessSampler(pid) : null;
            _report.Settings.Add(new("edge", _edge.Started ? $"{o.EdgePath} (pid {_edge.Pid}, {_edge.BaseUri}, ingest {_edge.Ingest})" : $"{_edge.BaseUri} (existing)"));
            var metricsAtStart = await EdgeMetrics.ScrapeAsync(_http, _edge.BaseUri);
            await File.WriteAllTextAsync(Path.Combine(output, "metrics-start.txt"), metricsAtStart.Text, cancel);

            var needsFeed = o.Command != "idle" || o.SymbolsPerConnection > 0;
            if (needsFeed)
            {
                await StartFeedAsync(cancel);
            }

            var subscribers = new int[o.Symbols];
            var picker = new SymbolPicker(o.Symbols, o.Popularity, o.ZipfExponent, o.Seed + 1);
            var host = $"{_edge.BaseUri.Host}:{_edge.BaseUri.Port}";
            var upgrade = WebSocketClientProtocol.UpgradeRequest(host, "/market-data", token);
            var random = new Random(o.Seed + 2);
            void Prepare(PerfConnection connection)
            {
                var symbols = o.SymbolsPerConnection > 0 ? picker.NextDistinct(o.SymbolsPerConnection) : [];
                foreach (var symbol in symbols)
                {
                    subscribers[symbol]++;
                }

                connection.SetSymbols(symbols);
                if (o.Transport == Transport.Sse)
                {
                    connection.Request = SseClientProtocol.Request(host, "/market-data/stream", symbols, token);
                }
                else
                {
                    connection.Request = upgrade;
                    connection.Subscribe = symbols.Length > 0 ? WebSocketClientProtocol.SubscribeFrame(symbols, random) : [];
                }
            }

            var target = new IPEndPoint(IPAddress.Parse(_edge.BaseUri.Host), _edge.BaseUri.Port);
            _pool = new ClientPool(o.Connections, o.Loops, target, o.Transport, o.SourceAddresses, o.ClientWait);
            if (o.Command == "idle")
            {
                await IdleAsync(Prepare, cancel);
            }
            else
            {
                await RampAsync(o.Connections, o.RampUpSeconds, Prepare, cancel);
                _feed!.SetSubscribers(subscribers);
                await MeasureAsync(cancel);
            }

            var metricsAtEnd = await EdgeMetrics.ScrapeAsync(_http, _edge.BaseUri);
            await File.WriteAllTextAsync(Path.Combine(output, "metrics-end.txt"), metricsAtEnd.Text, cancel);
        }
        finally
        {
            _pool?.Dispose();
            _feed?.Dispose();
            await _edge.DisposeAsync();
            _http.Dispose();
        }

        ReportWriter.Write(_report, output);
        _console.WriteLine($"edge-perf: report in {output} (report.md, report.json, latency.svg)");
        return _report;
    }

    private async Task StartFeedAsync(CancellationToken cancel)
    {
        var o = _options;
        _feed = new PriceFeed(_edge!.Ingest, o.StreamId, o.Symbols, o.Popularity, o.ZipfExponent, o.Seed);
        if (!_feed.WaitConnected(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException($"the Aeron feed got no status message from {_edge.Ingest} in 30 s");
        }

        _feed.Prime();
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && !cancel.IsCancellationRequested)
        {
            var metrics = await EdgeMetrics.ScrapeAsync(_http, _edge.BaseUri);
            var known = metrics["edge_symbols"];
            if (double.IsNaN(known) || known >= o.Symbols)
            {
                return;
            }

            await Task.Delay(100, cancel);
        }

        _report.Notes.Add("Edge did not report all primed symbols within 30 s");
    }

    private async Task RampAsync(int count, double rampSeconds, Action<PerfConnection> prepare, CancellationToken cancel)
    {
        var o = _options;
        var started = Stopwatch.GetTimestamp();
        var first = _pool!.Count;
        await Task.Run(() => _pool.Connect(count, rampSeconds, o.MaxInFlightHandshakes, prepare, cancel), cancel);
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        var lastPrint = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline && !cancel.IsCancellationRequested)
        {
            var totals = _pool.Totals();
            var settled = totals.Subscribed + totals.Closed + _pool.ConnectFailures;
            if (settled >= _pool.Count)
            {
                break;
            }

            if (o.Progress && Stopwatch.GetElapsedTime(lastPrint).TotalSeconds >= 1)
            {
                lastPrint = Stopwatch.GetTimestamp();
                _console.WriteLine($"  ramp: {totals.Subscribed}/{_pool.Count} ready, {totals.HandshakesFailed + _pool.ConnectFailures} failed");
            }

            await Task.Delay(20, cancel);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var end = _pool.Totals();
        _report.RampSeconds += elapsed;
        _report.ConnectionsSubscribed = (int)end.Subscribed;
        _report.HandshakesOk = end.HandshakesOk;
        _report.HandshakesFailed = end.HandshakesFailed;
        _report.ConnectFailures = _pool.ConnectFailures;
        _report.FirstConnectError = _pool.FirstConnectError;
        _report.SubscribeErrors = end.AckErrors;
        foreach (var loop in _pool.Loops)
        {
            if (loop.FirstFailure is { } failure && !_report.Notes.Exists(n => n.StartsWith("first refused handshake", StringComparison.Ordinal)))
            {
                _report.Notes.Add("first refused handshake: " + failure.Replace("\r\n", " ⏎ ", StringComparison.Ordinal));
                _console.WriteLine("edge-perf: " + _report.Notes[^1]);
            }
        }

        _report.HandshakeTimes = _pool.HandshakeTimes();
        _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edge-perf: {end.Subscribed}/{_pool.Count} connections ready in {elapsed:F1} s ({(end.HandshakesOk - first) / Math.Max(elapsed, 1e-9):F0} handshakes/s, {end.HandshakesFailed + _pool.ConnectFailures} failed)"));
    }

    private async Task MeasureAsync(CancellationToken cancel)
    {
        var o = _options;
        // run: one rate, or each of --rates in turn on the same connections; sweep: rising rates until one misses.
        var rates = o.Rates.Count > 0 ? o.Rates : [o.Rate];
        var misses = 0;
        foreach (var rate in rates)
        {
            var step = await StepAsync(rate, cancel);
            _report.Steps.Add(step);
            if (o.Command == "sweep")
            {
                step.Sustained = step.PercentileMs(99) <= o.P99TargetMs && step.DeliveredRatio >= o.MinDeliveredRatio && step.FeedDropped == 0;
                _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"edge-perf: sweep {rate:N0}/s: {(step.Sustained.Value ? "sustained" : "missed")} (p99 {step.PercentileMs(99):F2} ms, delivered {step.DeliveredRatio:P1})"));
                // One missed step on a shared machine may be a hiccup: stop after two misses in a row.
                misses = step.Sustained.Value ? 0 : misses + 1;
                if (misses >= 2)
                {
                    break;
                }

                if (step.Sustained.Value)
                {
                    _report.SustainedRate = rate;
                }
            }
        }

        // Stop the feed and let the last updates arrive: until every expected delivery came (nothing was conflated),
        // or nothing new arrived for 3 s, at most 30 s. Then check each subscription ended on the final price.
        _feed!.Pause();
        await Task.Delay(50, cancel);
        var last = -1L;
        var stableSince = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var delivered = _pool!.Totals().Delivered;
            if (delivered >= _feed.ExpectedDeliveries)
            {
                break;
            }

            if (delivered != last)
            {
                last = delivered;
                stableSince = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(stableSince).TotalSeconds >= 3)
            {
                break;
            }

            await Task.Delay(50, cancel);
        }

        long missing = 0;
        long checkedPairs = 0;
        for (var id = 0; id < _pool!.Count; id++)
        {
            var connection = _pool.Connection(id);
            if (connection is null || connection.State != ConnectionState.Subscribed)
            {
                continue;
            }

            for (var slot = 0; slot < connection.Symbols.Length; slot++)
            {
                var published = _feed.LastSequence(connection.Symbols[slot]);
                checkedPairs++;
                // Symbols never updated during the run keep their primed value, which a subscriber may only have seen in the snapshot.
                if (published > 1 && connection.LastSequences[slot] != published)
                {
                    missing++;
                }
            }
        }

        _report.FinalsMissing = missing;
        _report.FinalsChecked = checkedPairs;
    }

    private async Task<StepResult> StepAsync(double rate, CancellationToken cancel)
    {
        var o = _options;
        _feed!.Run(rate);
        await ProgressAsync(rate, o.WarmupSeconds, null, cancel);
        _pool!.TakeInterval(); // discard warm-up latencies

        var metricsStart = await EdgeMetrics.ScrapeAsync(_http, _edge!.BaseUri);
        var totalsStart = _pool.Totals();
        var published = _feed.Published;
        var expected = _feed.ExpectedDeliveries;
        var dropped = _feed.Dropped;
        var backPressured = _feed.BackPressured;
        var toolStart = _self.Sample();
        var edgeStart = _edgeSampler?.Sample();
        var started = Stopwatch.GetTimestamp();
        var histogram = new LongHistogram(ClientLoop.HighestLatencyNs, 3);

        await ProgressAsync(rate, o.DurationSeconds, histogram, cancel);
        histogram.Add(_pool.TakeInterval());

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var toolEnd = _self.Sample();
        var edgeEnd = _edgeSampler?.Sample();
        var totals = _pool.Totals().Minus(totalsStart);
        var step = new StepResult
        {
            Rate = rate,
            Seconds = seconds,
            Published = _feed.Published - published,
            Expected = _feed.ExpectedDeliveries - expected,
            FeedDropped = _feed.Dropped - dropped,
            FeedBackPressured = _feed.BackPressured - backPressured,
            Delivered = totals.Delivered,
            Gaps = totals.Gaps,
            GapEvents = totals.GapEvents,
            OutOfOrder = totals.OutOfOrder,
            Unexpected = totals.Unexpected,
            Closed = totals.Closed,
            ToolCpuSeconds = toolEnd.CpuSeconds - toolStart.CpuSeconds,
            Latency = histogram,
        };
        if (edgeStart is { } es && edgeEnd is { } ee)
        {
            step.EdgeCpuSeconds = ee.CpuSeconds - es.CpuSeconds;
            step.EdgeRssStart = es.RssBytes;
            step.EdgeRssEnd = ee.RssBytes;
        }

        var metricsEnd = await EdgeMetrics.ScrapeAsync(_http, _edge.BaseUri);
        foreach (var family in CounterFamilies)
        {
            step.MetricDeltas[family] = EdgeMetrics.Delta(metricsStart, metricsEnd, family);
        }

        foreach (var family in GaugeFamilies)
        {
            step.MetricsAtEnd[family] = metricsEnd[family];
        }

        const string Internal = "edge_ingest_to_fanout_seconds";
        step.EdgeInternalP50Ms = EdgeMetrics.QuantileUpperBound(metricsStart, metricsEnd, Internal, 0.50) * 1e3;
        step.EdgeInternalP99Ms = EdgeMetrics.QuantileUpperBound(metricsStart, metricsEnd, Internal, 0.99) * 1e3;
        step.EdgeInternalMeanMs = EdgeMetrics.Delta(metricsStart, metricsEnd, Internal + "_sum") / EdgeMetrics.Delta(metricsStart, metricsEnd, Internal + "_count") * 1e3;

        if (_edgeSampler is null)
        {
            // No pid: Edge's own process metrics are the next best thing.
            step.EdgeCpuSeconds = step.MetricDeltas["process_cpu_seconds_total"];
            step.EdgeRssEnd = (long)metricsEnd["process_resident_memory_bytes"];
        }

        _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edge-perf: {rate:N0} updates/s: delivered {step.DeliveredPerSecond:N0}/s of {step.ExpectedPerSecond:N0}/s expected, p50 {step.PercentileMs(50):F3} ms, p99 {step.PercentileMs(99):F3} ms, p99.9 {step.PercentileMs(99.9):F3} ms, gaps {step.Gaps}, Edge CPU {step.EdgeCpuShare:P0} ({step.EdgeMicrosPerDelivery:F2} µs/delivery), tool CPU {step.ToolCpuShare:P0}"));
        return step;
    }

    /// <summary>Waits <paramref name="seconds"/>, printing a line a second; adds each second's latencies to <paramref name="into"/>.</summary>
    private async Task ProgressAsync(double rate, double seconds, LongHistogram? into, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        var previous = _pool!.Totals();
        var previousPublished = _feed!.Published;
        var previousExpected = _feed.ExpectedDeliveries;
        var tool = _self.Sample();
        var edge = _edgeSampler?.Sample();
        while (true)
        {
            var left = seconds - Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (left <= 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Min(1.0, left)), cancel);
            if (into is null && left > 1.0)
            {
                // Warm-up: discard, but keep the loops' histograms short.
                _pool.TakeInterval();
            }

            if (into is not null && left > 1.0)
            {
                var interval = _pool.TakeInterval();
                into.Add(interval);
                if (_options.Progress)
                {
                    var totals = _pool.Totals();
                    var toolNow = _self.Sample();
                    var edgeNow = _edgeSampler?.Sample();
                    var span = (toolNow.WallTicks - tool.WallTicks) / (double)Stopwatch.Frequency;
                    _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {Stopwatch.GetElapsedTime(started).TotalSeconds,5:F0}s  R {rate:N0}/s  pub {(_feed.Published - previousPublished) / span:N0}/s  expect {(_feed.ExpectedDeliveries - previousExpected) / span:N0}/s  deliver {(totals.Delivered - previous.Delivered) / span:N0}/s  p50 {Ms(interval, 50)} p99 {Ms(interval, 99)} max {Ms(interval, 100)} ms  gaps {totals.Gaps}  tool {ProcessSampler.CoreShare(tool, toolNow):P0}  edge {(edge is { } e && edgeNow is { } en ? ProcessSampler.CoreShare(e, en).ToString("P0", CultureInfo.InvariantCulture) : "?")}  rss {(edgeNow?.RssBytes ?? 0) / 1048576.0:F0} MB"));
                    previous = totals;
                    previousPublished = _feed.Published;
                    previousExpected = _feed.ExpectedDeliveries;
                    tool = toolNow;
                    edge = edgeNow;
                }
            }
        }
    }

    private async Task IdleAsync(Action<PerfConnection> prepare, CancellationToken cancel)
    {
        var o = _options;
        var steps = o.ConnectionSteps.Count > 0 ? o.ConnectionSteps : [o.Connections];
        var baseline = await IdleSampleAsync(0, 0, cancel);
        _report.IdleLevels.Add(baseline);
        foreach (var level in steps)
        {
            var started = Stopwatch.GetTimestamp();
            await RampAsync(level - _pool!.Count, o.RampUpSeconds * (level - _pool.Count) / Math.Max(1, o.Connections), prepare, cancel);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var sample = await IdleSampleAsync(level, seconds, cancel);
            var open = sample.Open;
            if (open > 0)
            {
                sample.RssPerConnection = (sample.RssBytes - baseline.RssBytes) / (double)open;
                sample.ManagedPerConnection = (sample.ManagedBytes - baseline.ManagedBytes) / open;
            }

            _report.IdleLevels.Add(sample);
            _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"edge-perf: idle {open:N0} connections: RSS {sample.RssBytes / 1048576.0:F1} MB ({sample.RssPerConnection:F0} B/connection), managed heap {sample.ManagedBytes / 1048576.0:F1} MB ({sample.ManagedPerConnection:F0} B/connection)"));
        }
    }

    private async Task<IdleLevel> IdleSampleAsync(int level, double seconds, CancellationToken cancel)
    {
        // Let the handshake garbage settle; Edge's heap gauge is GC.GetTotalMemory(false), which counts garbage not yet collected.
        await Task.Delay(TimeSpan.FromSeconds(2), cancel);
        var metrics = await EdgeMetrics.ScrapeAsync(_http, _edge!.BaseUri);
        var rss = _edgeSampler?.Sample().RssBytes ?? (long)metrics["process_resident_memory_bytes"];
        return new IdleLevel
        {
            Connections = level,
            Open = level == 0 ? 0 : _pool!.Totals().Subscribed,
            RssBytes = rss,
            ManagedBytes = metrics["dotnet_gc_heap_bytes"],
            ConnectSeconds = seconds,
        };
    }

    private static string Ms(LongHistogram histogram, double percentile) =>
        histogram.TotalCount == 0 ? "-" : (histogram.GetValueAtPercentile(percentile) / 1e6).ToString("F2", CultureInfo.InvariantCulture);

    private string OutputDirectory()
    {
        var output = _options.OutputDirectory ?? Path.Combine("artifacts", "perf", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{_options.Command}");
        Directory.CreateDirectory(output);
        return Path.GetFullPath(output);
    }

    private void Describe(string output, ulong fdLimit)
    {
        var o = _options;
        _report.Settings.Add(new("command line", "edge-perf " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))));
        _report.Settings.Add(new("transport", o.Transport == Transport.Sse ? "SSE" : "WebSocket (edge.v1.msgpack)"));
        _report.Settings.Add(new("connections × symbols each", $"{o.Connections} × {o.SymbolsPerConnection} of {o.Symbols} ({o.Popularity}{(o.Popularity == SymbolPopularity.Zipf ? $" s={o.ZipfExponent}" : string.Empty)}, seed {o.Seed})"));
        _report.Settings.Add(new("ramp-up / warm-up / duration", $"{o.RampUpSeconds} s / {o.WarmupSeconds} s / {o.DurationSeconds} s"));
        _report.Settings.Add(new("client loops / source addresses", $"{o.Loops} / 127.0.0.1-127.0.0.{o.SourceAddresses}"));
        _report.Settings.Add(new("client wait", o.ClientWait == ClientWait.Spin
            ? "spin (epoll_wait 0 + yield: the tool's CPU shows 100 %)"
            : "blocking (epoll_wait 10 ms)"));
        _report.Settings.Add(new("Edge settings (--edge-arg)", o.EdgeArguments.Count == 0 ? "none" : EdgeSettings(o.EdgeArguments)));
        _report.Settings.Add(new("Edge CPU / tool CPU / Edge event loops", $"{o.EdgeCpu?.ToString(CultureInfo.InvariantCulture) ?? "any"} / {o.ToolCpu?.ToString(CultureInfo.InvariantCulture) ?? "any"} / {o.EventLoops}"));
        _report.Settings.Add(new("output", output));
        _report.Machine.Add(new("cpus", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)));
        _report.Machine.Add(new("cpu model", CpuModel()));
        _report.Machine.Add(new("kernel", Environment.OSVersion.VersionString));
        _report.Machine.Add(new("load average at start", File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?"));
        _report.Machine.Add(new("open-file limit", fdLimit.ToString(CultureInfo.InvariantCulture)));
        _report.Machine.Add(new(".NET", Environment.Version.ToString()));
    }

    /// <summary>"--K" "V" pairs as "K=V K2=V2", as they were given.</summary>
    private static string EdgeSettings(List<string> arguments)
    {
        var pairs = new List<string>();
        for (var i = 0; i + 1 < arguments.Count; i += 2)
        {
            pairs.Add(arguments[i][2..] + "=" + arguments[i + 1]);
        }

        return string.Join(' ', pairs);
    }

    private static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // not Linux
        }

        return "?";
    }
}
