using Edge.Perf.Reports;
using Edge.Perf.Runs;

namespace Edge.Perf.Tests;

/// <summary>The short edge-perf run the run tests share: 20 connections on 50 symbols, one 3 s step at 200 updates/s.</summary>
internal static class ShortPerfRun
{
    /// <summary>Runs against <paramref name="target"/> (the --url, --ingest, … arguments) and writes the report into <paramref name="output"/>.</summary>
    public static async Task<PerfReport> ExecuteAsync(string[] target, string output, TimeSpan timeout)
    {
        var options = PerfOptions.Parse(
        [
            "run",
            .. target,
            "--connections", "20",
            "--symbols", "50",
            "--symbols-per-connection", "5",
            "--rate", "200",
            "--ramp-up", "0.5",
            "--warmup", "0.5",
            "--duration", "3",
            "--source-addresses", "3",
            "--out", output,
            "--no-progress",
        ]);
        using var cancellation = new CancellationTokenSource(timeout);
        return await CapacityRun.ExecuteAsync(options, TextWriter.Null, cancellation.Token);
    }
}
