using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Edge.Perf.Target;

/// <summary>
/// The C reference server (perf/reference-server): built with gcc when its binary is missing or older than its
/// source, started on free loopback ports (pinned like Edge), its ports read from the line it prints on stdout.
/// </summary>
internal sealed partial class ReferenceServer : IServerUnderTest
{
    public const string SourceFolder = "perf/reference-server";

    private readonly Process _process;

    private ReferenceServer(Process process, Uri baseUri, IPEndPoint ingest, string description)
    {
        _process = process;
        BaseUri = baseUri;
        Ingest = ingest;
        Description = description;
    }

    public Uri BaseUri { get; }

    public IPEndPoint Ingest { get; }

    public int? Pid => _process.Id;

    public string Description { get; }

    /// <summary>The repository's perf/reference-server, searched upwards from the working directory and then from the tool's own directory (null: not found).</summary>
    public static string? FindSource()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, SourceFolder);
                if (File.Exists(Path.Combine(candidate, "build.sh")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Builds <paramref name="binary"/> with perf/reference-server/build.sh unless it is newer than the source. Throws when it cannot.</summary>
    public static void EnsureBuilt(string binary)
    {
        var source = FindSource();
        if (source is null)
        {
            if (File.Exists(binary))
            {
                return;
            }

            throw new InvalidOperationException($"no reference server at {binary} and no {SourceFolder} to build it from");
        }

        var code = Path.Combine(source, "reference_server.c");
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(code))
        {
            return;
        }

        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(source, "build.sh"));
        start.ArgumentList.Add(Path.GetFullPath(binary));
        using var build = Process.Start(start) ?? throw new InvalidOperationException("could not run bash");
        var errors = build.StandardError.ReadToEndAsync();
        _ = build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the reference server failed (gcc; scripts/setup installs it): {errors.Result}");
        }
    }

    /// <summary>Starts the binary (pinned with taskset when <paramref name="cpu"/> is given) and waits for its "listening" line.</summary>
    public static async Task<ReferenceServer> StartAsync(string binary, int? cpu, string logPath)
    {
        // The server prints its ports on stdout: read here; stderr goes to the log.
        var process = ChildProcesses.StartPinned(Path.GetFullPath(binary), ["--bind", "127.0.0.1", "--port", "0", "--udp-port", "0"], cpu, logPath, readStandardOutput: true);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var match = line is null ? null : ListeningLine().Match(line);
            if (match is not { Success: true })
            {
                throw new InvalidOperationException($"the reference server printed no listening line (got '{line}'); log: {logPath}");
            }

            var tcp = IPEndPoint.Parse(match.Groups["tcp"].Value);
            var udp = IPEndPoint.Parse(match.Groups["udp"].Value);
            var baseUri = new Uri($"http://{tcp}");
            return new ReferenceServer(process, baseUri, udp, $"{binary} (pid {process.Id}, {baseUri}, UDP ingest {udp})");
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or FormatException)
        {
            ChildProcesses.Kill(process);
            process.Dispose();
            throw e as InvalidOperationException ?? new InvalidOperationException($"the reference server did not start within 30 s; log: {logPath}", e);
        }
    }

    /// <summary>SIGTERM (the server has no drain: it exits at once), then SIGKILL after 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.TerminateAsync(_process, TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    [GeneratedRegex(@"listening tcp (?<tcp>[0-9.]+:[0-9]+) udp (?<udp>[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();
}
