using System.Runtime.InteropServices;
using Edge.Server.Cli;
using Edge.Server.Configuration;
using Edge.Server.Demo;
using Edge.Server.Hosting;
using Edge.Server.Systemd;

namespace Edge.Server;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (await EdgeCommandLine.TryRunCommandAsync(args, Console.Out, Console.Error) is { } exitCode)
        {
            return exitCode;
        }

        args = EdgeCommandLine.ServerArguments(args);
        var configuration = EdgeConfigurationLoader.Build(args);
        var options = EdgeConfigurationLoader.Bind(configuration);
        var devTokens = DemoAuth.Prepare(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync("configuration error: " + error);
            }

            return 2;
        }

        using var loggerFactory = EdgeLogging.Create(options.Log);
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        EdgeHost? running = null;
        // SIGHUP reloads the TLS certificate (its default action would end the process), even when inherited ignored.
        HangupSignal.RestoreDefault();
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            running?.Reload();
        });

        using var notifier = SystemdNotifier.FromEnvironment();
        EdgeHost host;
        try
        {
            // Binds the ingest UDP port: a port in use fails here.
            host = new EdgeHost(options, loggerFactory, devTokens);
        }
        catch (EdgeStartException ex)
        {
            await Console.Error.WriteLineAsync($"edge: cannot start: {ex.Message}");
            return 1;
        }

        try
        {
            await host.StartAsync();
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"edge: cannot start: {ex.Message}");
            await host.StopAsync();
            return 1;
        }

        running = host;
        await using var systemd = SystemdService.Ready(notifier, host, loggerFactory);
        var port = host.Server.LocalEndPoint?.Port ?? 0;
        var scheme = options.Tls.Enabled ? "https" : "http";
        // With Metrics:Port, /metrics is served on its own listener only (the main port answers 404 there).
        var endpoints = host.MetricsServer?.LocalEndPoint is { } metrics
            ? $"GET /healthz, /readyz; /metrics on http://{metrics}"
            : "GET /healthz, /readyz, /metrics";
        Console.WriteLine($"edge: listening on {scheme}://{options.BindAddress}:{port}  ({endpoints})");
        var token = host.DevTokens?.Issue("demo-user", "demo", TimeSpan.FromHours(12));
        if (DemoBanner.Render(options, port, host.Server.DemoPage is not null, token) is { } banner)
        {
            if (options.Demo.Enabled)
            {
                // The demo feed's first log lines (publisher joined, feed up) come before the banner, not after it.
                await WaitForFeedAsync(host.Health, stop.Task);
            }

            // One write: the console logger writes from its own thread, but never inside a single write.
            Console.Out.Write(banner);
        }

        await stop.Task;
        await systemd.StoppingAsync();
        Console.WriteLine("edge: shutting down");
        await host.StopAsync();
        Console.WriteLine("edge: stopped");
        return 0;

        static async Task WaitForFeedAsync(HealthState health, Task stopping)
        {
            var deadline = DateTime.UtcNow + DemoBanner.FeedWait;
            while (!health.FeedUp && !stopping.IsCompleted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
        }

        void OnSignal(PosixSignalContext context)
        {
            // Keep the process alive until the drain is done; the default action would exit at once.
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
