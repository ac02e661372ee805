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
    private readonly HttpClient _http = LoopbackHttp.Create(TimeSpan.FromSeconds(10));
    private readonly ProcessSampler _self = ProcessSampler.Self();
    private readonly List<RunTarget> _targets = [];

    public CapacityRun(PerfOptions options, TextWriter console)
    {
        _options = options;
        _console = console;
        _report = new PerfReport
        {
            Command = options.Command,
            ConnectionsWanted = options.Connections,
            Target = options.Targets.HasFlag(PerfTargets.Edge) ? PerfReport.EdgeName
                : options.Reference == ReferenceKind.SocketIoNode ? PerfReport.SocketIoNodeName : PerfReport.ReferenceName,
        };
    }

    public static async Task<PerfReport> ExecuteAsync(PerfOptions options, TextWriter console, CancellationToken cancel)
    {
        var run = new CapacityRun(options, console);
        return await run.ExecuteAsync(cancel);
    }

    private async Task<PerfReport> ExecuteAsync(CancellationToken cancel)
    {
        var o = _options;
        var targetCount = o.Targets == PerfTargets.Both ? 2 : 1;
        var fdLimit = LinuxNative.RaiseOpenFileLimit((ulong)((o.Connections * targetCount) + 4096));
        if (fdLimit < (ulong)((o.Connections * targetCount) + 100))
        {
            throw new InvalidOperationException($"open-file limit {fdLimit} is below {o.Connections * targetCount} connections: raise ulimit -n");
        }

        if (o.ToolCpu is { } toolCpu && !LinuxNative.PinToCpu(toolCpu))
        {
            _report.Notes.Add($"could not pin the tool to CPU {toolCpu}");
        }

        var secret = o.Secret ?? (o.Url is null || !o.Targets.HasFlag(PerfTargets.Edge) ? TokenMinter.NewSecret() : null);
        var token = o.Token ?? (secret is not null
            ? TokenMinter.Issue(secret, o.Kid, o.Issuer, o.Audience, o.Tenant, TimeSpan.FromHours(12))
            : throw new ArgumentException("an existing Edge needs --token or --secret"));
        var output = OutputDirectory();
        Describe(output, fdLimit);

        try
        {
            if (o.Targets.HasFlag(PerfTargets.Edge))
            {
                await StartEdgesAsync(secret, output);
            }

            if (o.Targets.HasFlag(PerfTargets.Reference))
            {
                var (name, reference) = await StartReferenceAsync(output);
                var report = _targets.Count == 0
                    ? _report
                    : new PerfReport { Command = o.Command, ConnectionsWanted = o.Connections, Target = name, StartedUtc = _report.StartedUtc };
                if (report != _report)
                {
                    _report.Reference = report;
                }

                _targets.Add(new RunTarget(name, reference, report));
            }

            foreach (var t in _targets)
            {
                _report.Settings.Add(new(t.Name == PerfReport.ReferenceName ? "reference server" : t.Name == PerfReport.EdgeName ? "edge" : t.Name, t.Server.Description));
                var metricsAtStart = await EdgeMetrics.ScrapeAsync(_http, t.Server.BaseUri);
                await File.WriteAllTextAsync(Path.Combine(output, t.FilePrefix + "metrics-start.txt"), metricsAtStart.Text, cancel);
            }

            var needsFeed = o.Command != "idle" || o.SymbolsPerConnection > 0;
            if (needsFeed)
            {
                foreach (var t in _targets)
                {
                    await StartFeedAsync(t, cancel);
                }
            }

            foreach (var t in _targets)
            {
                // The same seeds for every target: each server gets the same connections subscribed to the same symbols.
                var subscribers = new int[o.Symbols];
                var picker = new SymbolPicker(o.Symbols, o.Popularity, o.ZipfExponent, o.Seed + 1);
                var endpoint = t.Server.ClientEndpoint;
                var host = endpoint.ToString();
                var upgrade = WebSocketClientProtocol.UpgradeRequest(host, "/market-data", token);
                var socketIoUpgrade = SocketIoClientProtocol.UpgradeRequest(host);
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
                    else if (o.Transport == Transport.SocketIo)
                    {
                        connection.Request = socketIoUpgrade;
                        connection.Join = SocketIoClientProtocol.ConnectFrame(token, random);
                        connection.Subscribe = SocketIoClientProtocol.SubscribeFrame(symbols, random);
                    }
                    else
                    {
                        connection.Request = upgrade;
                        connection.Subscribe = symbols.Length > 0 ? WebSocketClientProtocol.SubscribeFrame(symbols, random) : [];
                    }
                }

                t.Pool = new ClientPool(o.Connections, o.Loops, endpoint, o.Transport, o.SourceAddresses, o.ClientWait, t.Server.ClientTls);
                if (o.Command == "idle")
                {
                    await IdleAsync(t, Prepare, cancel);
                }
                else
                {
                    await RampAsync(t, o.Connections, o.RampUpSeconds, Prepare, cancel);
                    t.Feed!.SetSubscribers(subscribers);
                }
            }

            if (o.Command != "idle")
            {
                await MeasureAsync(cancel);
            }

            foreach (var t in _targets)
            {
                var metricsAtEnd = await EdgeMetrics.ScrapeAsync(_http, t.Server.BaseUri);
                await File.WriteAllTextAsync(Path.Combine(output, t.FilePrefix + "metrics-end.txt"), metricsAtEnd.Text, cancel);
            }
        }
        finally
        {
            foreach (var t in _targets)
            {
                await t.DisposeAsync();
            }

            _http.Dispose();
        }

        ReportWriter.Write(_report, output);
        _console.WriteLine($"edge-perf: report in {output} (report.md, report.json, latency.svg)");
        return _report;
    }

    /// <summary>
    /// One Edge per way of reaching it (<see cref="PerfOptions.EdgeModes"/>): plain, with its own TLS, or plain behind
    /// HAProxy terminating TLS; the first leads the report, the others are compared beside it.
    /// </summary>
    private async Task StartEdgesAsync(string? secret, string output)
    {
        var o = _options;
        SelfSignedCertificate? certificate = null;
        foreach (var mode in o.EdgeModes)
        {
            if (mode != EdgeTlsMode.Plain)
            {
                certificate ??= SelfSignedCertificate.Create(Path.Combine(output, "tls"));
            }

            var (name, prefix) = mode switch
            {
                EdgeTlsMode.Edge => (PerfReport.EdgeTlsName, "edge-tls-"),
                EdgeTlsMode.Haproxy => (PerfReport.HaproxyTlsName, "haproxy-"),
                _ => (PerfReport.EdgeName, string.Empty),
            };
            IServerUnderTest server = o.Url is null
                ? await EdgeUnderTest.StartAsync(o, secret!, Path.Combine(output, prefix + "edge.log"), mode == EdgeTlsMode.Edge ? certificate : null)
                : EdgeUnderTest.Existing(o.Url, o.Ingest ?? new IPEndPoint(IPAddress.Loopback, 40456), o.EdgePid);
            if (mode == EdgeTlsMode.Haproxy)
            {
                try
                {
                    server = await HaproxyTerminatedEdge.StartAsync(server, certificate!, o.EdgeCpu, output);
                }
                catch
                {
                    await server.DisposeAsync();
                    throw;
                }
            }

            var report = _report;
            if (_targets.Count == 0)
            {
                _report.Target = name;
            }
            else
            {
                report = new PerfReport { Command = o.Command, ConnectionsWanted = o.Connections, Target = name, StartedUtc = _report.StartedUtc };
                _report.Compared.Add(report);
            }

            _targets.Add(new RunTarget(name, server, report, prefix));
        }
    }

    /// <summary>The reference <see cref="PerfOptions.Reference"/> names, built or installed as needed and pinned with --edge-cpu like Edge.</summary>
    private async Task<(string Name, IServerUnderTest Server)> StartReferenceAsync(string output)
    {
        var o = _options;
        if (o.Reference == ReferenceKind.SocketIoNode)
        {
            var source = SocketIoNodeServer.EnsureInstalled();
            return (PerfReport.SocketIoNodeName, await SocketIoNodeServer.StartAsync(source, o.EdgeCpu, Path.Combine(output, "socketio-node.log")));
        }

        ReferenceServer.EnsureBuilt(o.ReferencePath);
        return (PerfReport.ReferenceName, await ReferenceServer.StartAsync(o.ReferencePath, o.EdgeCpu, Path.Combine(output, "reference-server.log")));
    }

    private async Task StartFeedAsync(RunTarget t, CancellationToken cancel)
    {
        var o = _options;
        var ingest = t.Server.Ingest;
        t.Feed = t.IsReference
            ? new PriceFeed(ingest, o.UdpBatching, o.Symbols, o.Popularity, o.ZipfExponent, o.Seed)
            : new PriceFeed(ingest, o.FeedChannel, o.StreamId, o.Symbols, o.Popularity, o.ZipfExponent, o.Seed);
        if (!t.Feed.WaitConnected(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException($"the Aeron feed got no status message from {o.FeedChannel ?? ingest.ToString()} in 30 s");
        }

        t.Feed.Prime();
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && !cancel.IsCancellationRequested)
        {
            // The reference server answers the same gauge on its /metrics.
            var metrics = await EdgeMetrics.ScrapeAsync(_http, t.Server.BaseUri);
            var known = metrics["edge_symbols"];
            if (double.IsNaN(known) || known >= o.Symbols)
            {
                return;
            }

            await Task.Delay(100, cancel);
        }

        t.Report.Notes.Add($"{t.Name} did not report all primed symbols within 30 s");
    }

    private async Task RampAsync(RunTarget t, int count, double rampSeconds, Action<PerfConnection> prepare, CancellationToken cancel)
    {
        var o = _options;
        var pool = t.Pool!;
        var report = t.Report;
        var started = Stopwatch.GetTimestamp();
        var first = pool.Count;
        await Task.Run(() => pool.Connect(count, rampSeconds, o.MaxInFlightHandshakes, prepare, cancel), cancel);
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        var lastPrint = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline && !cancel.IsCancellationRequested)
        {
            var totals = pool.Totals();
            var settled = totals.Subscribed + totals.Closed + pool.ConnectFailures;
            if (settled >= pool.Count)
            {
                break;
            }

            if (o.Progress && Stopwatch.GetElapsedTime(lastPrint).TotalSeconds >= 1)
            {
                lastPrint = Stopwatch.GetTimestamp();
                _console.WriteLine($"  {Label(t)}ramp: {totals.Subscribed}/{pool.Count} ready, {totals.HandshakesFailed + pool.ConnectFailures} failed");
            }

            await Task.Delay(20, cancel);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var end = pool.Totals();
        report.RampSeconds += elapsed;
        report.ConnectionsSubscribed = (int)end.Subscribed;
        report.HandshakesOk = end.HandshakesOk;
        report.HandshakesFailed = end.HandshakesFailed;
        report.ConnectFailures = pool.ConnectFailures;
        report.FirstConnectError = pool.FirstConnectError;
        report.SubscribeErrors = end.AckErrors;
        foreach (var loop in pool.Loops)
        {
            if (loop.FirstFailure is { } failure && !report.Notes.Exists(n => n.StartsWith("first refused handshake", StringComparison.Ordinal)))
            {
                report.Notes.Add("first refused handshake: " + failure.Replace("\r\n", " ⏎ ", StringComparison.Ordinal));
                _console.WriteLine("edge-perf: " + Label(t) + report.Notes[^1]);
            }
        }

        report.HandshakeTimes = pool.HandshakeTimes();
        _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edge-perf: {Label(t)}{end.Subscribed}/{pool.Count} connections ready in {elapsed:F1} s ({(end.HandshakesOk - first) / Math.Max(elapsed, 1e-9):F0} handshakes/s, {end.HandshakesFailed + pool.ConnectFailures} failed)"));
    }

    private async Task MeasureAsync(CancellationToken cancel)
    {
        var o = _options;
        // run: one rate, or each of --rates in turn on the same connections; sweep: rising rates until one misses.
        // Side by side: each rate against every target in turn (the order alternates from rate to rate), the other
        // target's feed paused and its client loops parked.
        var rates = o.Rates.Count > 0 ? o.Rates : [o.Rate];
        var misses = new Dictionary<RunTarget, int>();
        var active = new List<RunTarget>(_targets);
        for (var r = 0; r < rates.Count && active.Count > 0; r++)
        {
            var rate = rates[r];
            var order = new List<RunTarget>(active);
            if (r % 2 == 1)
            {
                order.Reverse();
            }

            foreach (var t in order)
            {
                foreach (var other in _targets)
                {
                    other.Pool!.Parked = other != t;
                }

                var step = await StepAsync(t, rate, cancel);
                t.Report.Steps.Add(step);
                if (_targets.Count > 1)
                {
                    t.Feed!.Pause();
                    await SettleAsync(t, TimeSpan.FromSeconds(1), cancel);
                }

                if (o.Command == "sweep")
                {
                    step.Sustained = step.PercentileMs(99) <= o.P99TargetMs && step.DeliveredRatio >= o.MinDeliveredRatio && step.FeedDropped == 0;
                    _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"edge-perf: {Label(t)}sweep {rate:N0}/s: {(step.Sustained.Value ? "sustained" : "missed")} (p99 {step.PercentileMs(99):F2} ms, delivered {step.DeliveredRatio:P1})"));
                    // One missed step on a shared machine may be a hiccup: stop after two misses in a row.
                    misses[t] = step.Sustained.Value ? 0 : misses.GetValueOrDefault(t) + 1;
                    if (misses[t] >= 2)
                    {
                        active.Remove(t);
                    }

                    if (step.Sustained.Value)
                    {
                        t.Report.SustainedRate = rate;
                    }
                }
            }
        }

        foreach (var t in _targets)
        {
            t.Pool!.Parked = false;
            await FinalsAsync(t, cancel);
        }
    }

    /// <summary>
    /// Stops the feed and lets the last updates arrive: until every expected delivery came (nothing was conflated),
    /// or nothing new arrived for 3 s, at most 30 s. Then checks each subscription ended on the final price.
    /// </summary>
    private async Task FinalsAsync(RunTarget t, CancellationToken cancel)
    {
        var feed = t.Feed!;
        var pool = t.Pool!;
        feed.Pause();
        await Task.Delay(50, cancel);
        await SettleAsync(t, TimeSpan.FromSeconds(3), cancel);
        long missing = 0;
        long checkedPairs = 0;
        for (var id = 0; id < pool.Count; id++)
        {
            var connection = pool.Connection(id);
            if (connection is null || connection.State != ConnectionState.Subscribed)
            {
                continue;
            }

            for (var slot = 0; slot < connection.Symbols.Length; slot++)
            {
                var published = feed.LastSequence(connection.Symbols[slot]);
                checkedPairs++;
                // Symbols never updated during the run keep their primed value, which a subscriber may only have seen in the snapshot.
                if (published > 1 && connection.LastSequences[slot] != published)
                {
                    missing++;
                }
            }
        }

        t.Report.FinalsMissing = missing;
        t.Report.FinalsChecked = checkedPairs;
    }

    /// <summary>Waits (at most 30 s) until the target delivered all it was expected to, or nothing new arrived for <paramref name="quiet"/>.</summary>
    private static async Task SettleAsync(RunTarget t, TimeSpan quiet, CancellationToken cancel)
    {
        var last = -1L;
        var stableSince = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var delivered = t.Pool!.Totals().Delivered;
            if (delivered >= t.Feed!.ExpectedDeliveries)
            {
                return;
            }

            if (delivered != last)
            {
                last = delivered;
                stableSince = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(stableSince) >= quiet)
            {
                return;
            }

            await Task.Delay(50, cancel);
        }
    }

    private async Task<StepResult> StepAsync(RunTarget t, double rate, CancellationToken cancel)
    {
        var o = _options;
        if (o.StepFromIdle)
        {
            await IdleBeforeStepAsync(t, cancel);
        }
        else
        {
            t.Feed!.Run(rate);
            await ProgressAsync(t, rate, o.WarmupSeconds, null, cancel);
            t.Pool!.TakeInterval(); // discard warm-up latencies
        }

        var metricsStart = await EdgeMetrics.ScrapeAsync(_http, t.Server.BaseUri);
        var totalsStart = t.Pool!.Totals();
        var published = t.Feed!.Published;
        var expected = t.Feed!.ExpectedDeliveries;
        var dropped = t.Feed!.Dropped;
        var backPressured = t.Feed!.BackPressured;
        var toolStart = _self.Sample();
        var edgeStart = t.Sampler?.Sample();
        var started = Stopwatch.GetTimestamp();
        var histogram = new LongHistogram(ClientLoop.HighestLatencyNs, 3);
        var response = o.StepFromIdle ? new StepResult { FromIdle = true } : null;
        if (response is not null)
        {
            // The window starts with the jump: no warm-up, so the first seconds' queueing is in the figures.
            t.Feed!.Run(rate);
            await IntervalsAsync(t, rate, histogram, response, cancel);
        }
        else
        {
            await ProgressAsync(t, rate, o.DurationSeconds, histogram, cancel);
        }

        histogram.Add(t.Pool!.TakeInterval());

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var toolEnd = _self.Sample();
        var edgeEnd = t.Sampler?.Sample();
        var totals = t.Pool!.Totals().Minus(totalsStart);
        var step = response ?? new StepResult();
        step.Rate = rate;
        step.Seconds = seconds;
        step.Published = t.Feed!.Published - published;
        step.Expected = t.Feed!.ExpectedDeliveries - expected;
        step.FeedDropped = t.Feed!.Dropped - dropped;
        step.FeedBackPressured = t.Feed!.BackPressured - backPressured;
        step.Delivered = totals.Delivered;
        step.Gaps = totals.Gaps;
        step.GapEvents = totals.GapEvents;
        step.OutOfOrder = totals.OutOfOrder;
        step.Unexpected = totals.Unexpected;
        step.Closed = totals.Closed;
        step.ToolCpuSeconds = toolEnd.CpuSeconds - toolStart.CpuSeconds;
        step.Latency = histogram;
        if (step.FromIdle)
        {
            step.RecoverySeconds = StepResponse.RecoverySeconds(step.Intervals, o.P99TargetMs);
        }

        if (edgeStart is { } es && edgeEnd is { } ee)
        {
            step.EdgeCpuSeconds = ee.CpuSeconds - es.CpuSeconds;
            step.EdgeRssStart = es.RssBytes;
            step.EdgeRssEnd = ee.RssBytes;
        }

        var metricsEnd = await EdgeMetrics.ScrapeAsync(_http, t.Server.BaseUri);
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

        if (t.Sampler is null)
        {
            // No pid: Edge's own process metrics are the next best thing.
            step.EdgeCpuSeconds = step.MetricDeltas["process_cpu_seconds_total"];
            step.EdgeRssEnd = (long)metricsEnd["process_resident_memory_bytes"];
        }

        _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edge-perf: {Label(t)}{rate:N0} updates/s: delivered {step.DeliveredPerSecond:N0}/s of {step.ExpectedPerSecond:N0}/s expected, p50 {step.PercentileMs(50):F3} ms, p99 {step.PercentileMs(99):F3} ms, p99.9 {step.PercentileMs(99.9):F3} ms, gaps {step.Gaps}, {t.Name} CPU {step.EdgeCpuShare:P0} ({step.EdgeMicrosPerDelivery:F2} µs/delivery), tool CPU {step.ToolCpuShare:P0}"));
        return step;
    }

    /// <summary>
    /// Before a step from idle: the feed stops, the target delivers what it still owes, and nothing is published for
    /// a second more, so the jump starts from an idle server with empty queues.
    /// </summary>
    private async Task IdleBeforeStepAsync(RunTarget t, CancellationToken cancel)
    {
        t.Feed!.Pause();
        await SettleAsync(t, TimeSpan.FromSeconds(1), cancel);
        await Task.Delay(TimeSpan.FromSeconds(1), cancel);
        t.Pool!.TakeInterval();
    }

    /// <summary>
    /// A step's window in short intervals (<see cref="PerfOptions.StepIntervalMs"/>): each interval's p99 for the
    /// recovery time, the first <see cref="StepResponse.SettleSeconds"/> seconds and the rest in their own histograms,
    /// everything into <paramref name="into"/>; a progress line a second.
    /// </summary>
    private async Task IntervalsAsync(RunTarget t, double rate, LongHistogram into, StepResult step, CancellationToken cancel)
    {
        var o = _options;
        var started = Stopwatch.GetTimestamp();
        var expectedBefore = t.Feed!.ExpectedDeliveries;
        var deliveredBefore = t.Pool!.Totals().Delivered;
        var interval = TimeSpan.FromMilliseconds(o.StepIntervalMs);
        var lastPrint = 0.0;
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var left = o.DurationSeconds - elapsed;
            if (left <= 0)
            {
                return;
            }

            await Task.Delay(left < interval.TotalSeconds ? TimeSpan.FromSeconds(left) : interval, cancel);
            var latencies = t.Pool!.TakeInterval();
            var end = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var expectedNow = t.Feed!.ExpectedDeliveries;
            var deliveredNow = t.Pool!.Totals().Delivered;
            var sample = new IntervalSample(
                end,
                deliveredNow - deliveredBefore,
                expectedNow - expectedBefore,
                StepResult.PercentileMs(latencies, 99),
                latencies.TotalCount == 0 ? double.NaN : latencies.GetMaxValue() / 1e6);
            step.Intervals.Add(sample);
            expectedBefore = expectedNow;
            deliveredBefore = deliveredNow;
            into.Add(latencies);
            (end <= StepResponse.SettleSeconds ? step.FirstSeconds : step.AfterFirstSeconds).Add(latencies);
            if (o.Progress && end - lastPrint >= 1.0)
            {
                lastPrint = end;
                _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Label(t)}{end,5:F1}s after the jump to {rate:N0}/s: interval p99 {sample.P99Ms:F2} ms max {sample.MaxMs:F2} ms, delivered {sample.Delivered:N0} of {sample.Expected:N0}"));
            }
        }
    }

    /// <summary>Waits <paramref name="seconds"/>, printing a line a second; adds each second's latencies to <paramref name="into"/>.</summary>
    private async Task ProgressAsync(RunTarget t, double rate, double seconds, LongHistogram? into, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        var previous = t.Pool!.Totals();
        var previousPublished = t.Feed!.Published;
        var previousExpected = t.Feed!.ExpectedDeliveries;
        var tool = _self.Sample();
        var edge = t.Sampler?.Sample();
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
                t.Pool!.TakeInterval();
            }

            if (into is not null && left > 1.0)
            {
                var interval = t.Pool!.TakeInterval();
                into.Add(interval);
                if (_options.Progress)
                {
                    var totals = t.Pool!.Totals();
                    var toolNow = _self.Sample();
                    var edgeNow = t.Sampler?.Sample();
                    var span = (toolNow.WallTicks - tool.WallTicks) / (double)Stopwatch.Frequency;
                    _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {Label(t)}{Stopwatch.GetElapsedTime(started).TotalSeconds,5:F0}s  R {rate:N0}/s  pub {(t.Feed!.Published - previousPublished) / span:N0}/s  expect {(t.Feed!.ExpectedDeliveries - previousExpected) / span:N0}/s  deliver {(totals.Delivered - previous.Delivered) / span:N0}/s  p50 {Ms(interval, 50)} p99 {Ms(interval, 99)} max {Ms(interval, 100)} ms  gaps {totals.Gaps}  tool {ProcessSampler.CoreShare(tool, toolNow):P0}  edge {(edge is { } e && edgeNow is { } en ? ProcessSampler.CoreShare(e, en).ToString("P0", CultureInfo.InvariantCulture) : "?")}  rss {(edgeNow?.RssBytes ?? 0) / 1048576.0:F0} MB"));
                    previous = totals;
                    previousPublished = t.Feed!.Published;
                    previousExpected = t.Feed!.ExpectedDeliveries;
                    tool = toolNow;
                    edge = edgeNow;
                }
            }
        }
    }

    private async Task IdleAsync(RunTarget t, Action<PerfConnection> prepare, CancellationToken cancel)
    {
        var o = _options;
        var steps = o.ConnectionSteps.Count > 0 ? o.ConnectionSteps : [o.Connections];
        var baseline = await IdleSampleAsync(t, 0, 0, cancel);
        _report.IdleLevels.Add(baseline);
        foreach (var level in steps)
        {
            var started = Stopwatch.GetTimestamp();
            await RampAsync(t, level - t.Pool!.Count, o.RampUpSeconds * (level - t.Pool!.Count) / Math.Max(1, o.Connections), prepare, cancel);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var sample = await IdleSampleAsync(t, level, seconds, cancel);
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

    private async Task<IdleLevel> IdleSampleAsync(RunTarget t, int level, double seconds, CancellationToken cancel)
    {
        // Let the handshake garbage settle; Edge's heap gauge is GC.GetTotalMemory(false), which counts garbage not yet collected.
        await Task.Delay(TimeSpan.FromSeconds(2), cancel);
        var metrics = await EdgeMetrics.ScrapeAsync(_http, t.Server.BaseUri);
        var rss = t.Sampler?.Sample().RssBytes ?? (long)metrics["process_resident_memory_bytes"];
        return new IdleLevel
        {
            Connections = level,
            Open = level == 0 ? 0 : t.Pool!.Totals().Subscribed,
            RssBytes = rss,
            ManagedBytes = metrics["dotnet_gc_heap_bytes"],
            ConnectSeconds = seconds,
        };
    }

    /// <summary>A console prefix naming the target, in side-by-side runs only (single-target output is unchanged).</summary>
    private string Label(RunTarget t) => _targets.Count > 1 ? $"[{t.Name}] " : string.Empty;

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
        _report.Settings.Add(new("transport", o.Transport switch
        {
            Transport.Sse => "SSE",
            Transport.SocketIo => "socket.io (Engine.IO v4 WebSocket, /market-data; price timestamps in ms)",
            _ => "WebSocket (edge.v1.msgpack)",
        }));
        if (o.EdgeModes.Count != 1 || o.EdgeModes[0] != EdgeTlsMode.Plain)
        {
            _report.Settings.Add(new("TLS", "clients: SslStream per connection (system OpenSSL, TLS 1.3 as negotiated) read by an async pump, not epoll; a self-signed P-256 certificate made for the run; targets: " + string.Join(", ", o.EdgeModes)));
        }

        _report.Settings.Add(new("connections × symbols each", $"{o.Connections} × {o.SymbolsPerConnection} of {o.Symbols} ({o.Popularity}{(o.Popularity == SymbolPopularity.Zipf ? $" s={o.ZipfExponent}" : string.Empty)}, seed {o.Seed})"));
        _report.Settings.Add(new("ramp-up / warm-up / duration", $"{o.RampUpSeconds} s / {o.WarmupSeconds} s / {o.DurationSeconds} s"));
        _report.Settings.Add(new("client loops / source addresses", $"{o.Loops} / 127.0.0.1-127.0.0.{o.SourceAddresses}"));
        _report.Settings.Add(new("client wait", o.ClientWait == ClientWait.Spin
            ? "spin (epoll_wait 0 + yield: the tool's CPU shows 100 %)"
            : "blocking (epoll_wait 10 ms)"));
        _report.Settings.Add(new("Edge settings (--edge-arg)", o.EdgeArguments.Count == 0 ? "none" : EdgeSettings(o.EdgeArguments)));
        if (o.Targets.HasFlag(PerfTargets.Reference))
        {
            _report.Settings.Add(new("reference feed", o.UdpBatching == UdpBatching.Tick
                ? $"plain UDP, a tick's messages in datagrams of ≤ {UdpIngestSender.MaxDatagramBytes} B (Edge: Aeron)"
                : "plain UDP, one datagram per message (Edge: Aeron)"));
        }

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
