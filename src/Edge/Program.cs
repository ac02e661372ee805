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
        var host = new EdgeHost(options, loggerFactory, devTokens);
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
        var port = host.Server.LocalEndPoint?.Port;
        var scheme = options.Tls.Enabled ? "https" : "http";
        Console.WriteLine($"edge: listening on {scheme}://{options.BindAddress}:{port}  (GET /healthz, /readyz, /metrics)");
        if (host.Server.DemoPage is not null)
        {
            Console.WriteLine($"edge: demo page: {scheme}://localhost:{port}/");
        }

        if (host.DevTokens is not null)
        {
            var token = host.DevTokens.Issue("demo-user", "demo", TimeSpan.FromHours(12));
            Console.WriteLine("edge: demo mode: simulated prices flow over loopback Aeron UDP into the real ingest path.");
            Console.WriteLine($"edge: development token (12 h, tenant 'demo'): {token}");
            Console.WriteLine($"edge: connect: {(options.Tls.Enabled ? "wss" : "ws")}://localhost:{port}/market-data?token=<token>  (subprotocol edge.v1.json to read frames as text)");
            if (options.Sse.Enabled)
            {
                Console.WriteLine($"edge: or stream: curl -N \"{scheme}://localhost:{port}{options.Sse.Path}?symbols=EUR/USD,BTC/USD&token=<token>\"  (Server-Sent Events)");
            }
        }

        await stop.Task;
        await systemd.StoppingAsync();
        Console.WriteLine("edge: shutting down");
        await host.StopAsync();
        Console.WriteLine("edge: stopped");
        return 0;

        void OnSignal(PosixSignalContext context)
        {
            // Keep the process alive until the drain is done; the default action would exit at once.
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
