using System.Runtime.InteropServices;
using Edge.Server.Configuration;
using Edge.Server.Hosting;
using Edge.Server.Metrics;

namespace Edge.Server;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var configuration = EdgeConfigurationLoader.Build(args);
        var options = EdgeConfigurationLoader.Bind(configuration);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync("configuration error: " + error);
            }

            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        var metrics = new MetricsRegistry();
        ProcessMetrics.Register(metrics);
        var server = new EdgeServer(options, new HealthState(), metrics);
        try
        {
            await server.StartAsync();
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"edge: cannot listen on {options.BindAddress}:{options.Port}: {ex.Message}");
            await server.StopAsync();
            return 1;
        }

        Console.WriteLine($"edge: listening on http://{options.BindAddress}:{server.LocalEndPoint?.Port}  (GET /healthz)");
        await stop.Task;
        Console.WriteLine("edge: shutting down");
        await server.StopAsync();
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
