using Microsoft.Extensions.Logging;

namespace Edge.Server.Systemd;

/// <summary>
/// systemd's watchdog (<c>WatchdogSec=</c>): every <see cref="Interval"/> (half of <c>WATCHDOG_USEC</c>) it runs the
/// <see cref="EdgeLiveness"/> probe and sends <c>WATCHDOG=1</c> only when every event loop and ring consumer is
/// alive, with a <c>STATUS=</c> line of connection counts. A stuck part stops the pings, so systemd restarts Edge
/// after <c>WatchdogSec</c>. Without a watchdog configured it still refreshes the status line.
/// </summary>
public sealed partial class ServiceWatchdog : IAsyncDisposable
{
    private readonly SystemdNotifier _notifier;
    private readonly EdgeLiveness _liveness;
    private readonly Func<string> _status;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private string? _lastProblem;
    private long _pings;
    private long _failedChecks;

    /// <param name="notifier">Where WATCHDOG=1 and STATUS= go.</param>
    /// <param name="liveness">The probe.</param>
    /// <param name="interval">Time between checks: half of WATCHDOG_USEC.</param>
    /// <param name="pingsEnabled">False when systemd asked for no watchdog: only STATUS= lines are sent.</param>
    /// <param name="status">The STATUS= text (connection counts), read at each check.</param>
    /// <param name="logger">Logs when the pings stop and start again.</param>
    public ServiceWatchdog(SystemdNotifier notifier, EdgeLiveness liveness, TimeSpan interval, bool pingsEnabled, Func<string> status, ILogger logger)
    {
        _notifier = notifier;
        _liveness = liveness;
        Interval = interval;
        PingsEnabled = pingsEnabled;
        _status = status;
        _logger = logger;
    }

    public TimeSpan Interval { get; }

    public bool PingsEnabled { get; }

    /// <summary>WATCHDOG=1 datagrams sent.</summary>
    public long Pings => Interlocked.Read(ref _pings);

    /// <summary>Checks that found a stuck part (no ping sent for them).</summary>
    public long FailedChecks => Interlocked.Read(ref _failedChecks);

    /// <summary>
    /// Half of <c>WATCHDOG_USEC</c> when systemd set it for this process (<c>WATCHDOG_PID</c> absent or ours), else null.
    /// </summary>
    public static TimeSpan? IntervalFromEnvironment()
    {
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) && usec > 0
            ? TimeSpan.FromTicks(usec * 10 / 2)
            : null;
    }

    public void Start() => _run = Task.Run(RunAsync);

    /// <summary>Stops the checks (at STOPPING=1: systemd does not watch a stopping service).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await CheckOnceAsync();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task CheckOnceAsync()
    {
        // Half the interval for the loops' no-op tasks, so a check never overlaps the next one.
        var problem = await _liveness.CheckAsync(Interval / 2);
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        if (problem is null)
        {
            if (_lastProblem is not null)
            {
                LogRecovered(_lastProblem);
                _lastProblem = null;
            }

            var status = SystemdNotifier.StatusLine(_status());
            if (_notifier.Notify(PingsEnabled ? "WATCHDOG=1\n" + status : status) && PingsEnabled)
            {
                Interlocked.Increment(ref _pings);
            }

            return;
        }

        Interlocked.Increment(ref _failedChecks);
        if (problem != _lastProblem)
        {
            LogStuck(problem);
            _lastProblem = problem;
        }

        _notifier.Notify(SystemdNotifier.StatusLine("unhealthy, watchdog pings stopped: " + problem));
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Critical, Message = "Watchdog: {Problem}; not pinging systemd (it restarts Edge after WatchdogSec)")]
    private partial void LogStuck(string problem);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Watchdog: recovered from '{Problem}'; pinging systemd again")]
    private partial void LogRecovered(string problem);
}
