using Edge.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Server.Systemd;

/// <summary>
/// Edge's side of a <c>Type=notify</c> unit: <c>READY=1</c> once the host listens and its ingest is bound, a
/// watchdog with <c>STATUS=</c> lines while it serves, <c>STOPPING=1</c> when shutdown starts. Does nothing
/// visible when NOTIFY_SOCKET is not set.
/// </summary>
public sealed class SystemdService : IAsyncDisposable
{
    private readonly SystemdNotifier _notifier;
    private readonly EdgeHost _host;
    private readonly ServiceWatchdog? _watchdog;
    private bool _stopping;

    private SystemdService(SystemdNotifier notifier, EdgeHost host, ServiceWatchdog? watchdog)
    {
        _notifier = notifier;
        _host = host;
        _watchdog = watchdog;
    }

    public ServiceWatchdog? Watchdog => _watchdog;

    /// <summary>Call after <see cref="EdgeHost.StartAsync"/> succeeded: sends READY=1 and starts the watchdog.</summary>
    public static SystemdService Ready(SystemdNotifier notifier, EdgeHost host, ILoggerFactory loggerFactory)
    {
        ServiceWatchdog? watchdog = null;
        if (notifier.Enabled)
        {
            var interval = ServiceWatchdog.IntervalFromEnvironment();
            // Without WatchdogSec the status line is still refreshed, every 10 s.
            watchdog = new ServiceWatchdog(
                notifier, EdgeLiveness.For(host.FanOut), interval ?? TimeSpan.FromSeconds(10), interval is not null,
                () => Status(host), loggerFactory.CreateLogger<ServiceWatchdog>());
        }

        var service = new SystemdService(notifier, host, watchdog);
        notifier.Notify("READY=1\n" + SystemdNotifier.StatusLine(Status(host)));
        watchdog?.Start();
        return service;
    }

    /// <summary>What <c>systemctl status</c> shows: the listener, the ingest and the connection counts.</summary>
    public static string Status(EdgeHost host)
    {
        var sessions = 0;
        foreach (var loop in host.FanOut.Loops)
        {
            sessions += loop.SessionCount;
        }

        var scheme = host.Options.Tls.Enabled ? "https" : "http";
        return $"serving {scheme} port {host.Server.LocalEndPoint?.Port}: {host.Server.OpenConnections} connections, "
            + $"{sessions} market-data sessions; ingest udp {host.IngestEndPoint} stream {host.Options.Ingest.StreamId}";
    }

    /// <summary>Shutdown begins: stops the watchdog and sends STOPPING=1.</summary>
    public async Task StoppingAsync()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (_watchdog is not null)
        {
            await _watchdog.StopAsync();
        }

        _notifier.Notify($"STOPPING=1\n{SystemdNotifier.StatusLine($"draining {_host.Server.OpenConnections} connections")}");
    }

    public async ValueTask DisposeAsync()
    {
        await StoppingAsync();
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync();
        }
    }
}
