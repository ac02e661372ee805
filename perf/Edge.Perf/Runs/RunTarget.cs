using Edge.Perf.Clients;
using Edge.Perf.Feed;
using Edge.Perf.Reports;
using Edge.Perf.Target;

namespace Edge.Perf.Runs;

/// <summary>One server a run measures, with its own feed, client connections and report (a side-by-side run has two).</summary>
internal sealed class RunTarget : IAsyncDisposable
{
    public RunTarget(string name, IServerUnderTest server, PerfReport report, string? filePrefix = null)
    {
        Name = name;
        Server = server;
        Report = report;
        Sampler = server.Pid is { } pid ? new ProcessSampler(pid, server.ExtraPids) : null;
        FilePrefix = filePrefix ?? (Name == PerfReport.SocketIoNodeName ? "socketio-node-" : IsReference ? "reference-" : string.Empty);
    }

    /// <summary>"Edge", "reference", "socket.io on Node" or a TLS variant of Edge: labels in the console and the report.</summary>
    public string Name { get; }

    public IServerUnderTest Server { get; }

    public PerfReport Report { get; }

    public ProcessSampler? Sampler { get; }

    public PriceFeed? Feed { get; set; }

    public ClientPool? Pool { get; set; }

    /// <summary>A reference server (C or socket.io on Node): fed plain UDP, not Aeron.</summary>
    public bool IsReference => PerfReport.IsReferenceTarget(Name);

    /// <summary>Prefix of the metrics files: Edge's keep their old names.</summary>
    public string FilePrefix { get; }

    public async ValueTask DisposeAsync()
    {
        Pool?.Dispose();
        Feed?.Dispose();
        await Server.DisposeAsync();
    }
}
