using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Edge.Perf.Target;

/// <summary>
/// The original stack as a reference (perf/socketio-reference): a socket.io 4 server on Node playing the original
/// gateway's hot path, its pinned dependencies installed with <c>npm ci</c> when missing or older than the lockfile,
/// started with <c>node</c> on free loopback ports (pinned like Edge), its ports read from the line it prints on stdout.
/// </summary>
internal sealed partial class SocketIoNodeServer : IServerUnderTest
{
    public const string SourceFolder = "perf/socketio-reference";

    private readonly Process _process;

    private SocketIoNodeServer(Process process, Uri baseUri, IPEndPoint ingest, string description)
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

    /// <summary>node on PATH (null: not installed; scripts/setup installs it).</summary>
    public static string? FindNode() => FindOnPath("node");

    /// <summary>The repository's perf/socketio-reference, searched upwards from the working directory and then from the tool's own directory (null: not found).</summary>
    public static string? FindSource()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, SourceFolder);
                if (File.Exists(Path.Combine(candidate, "server.mjs")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <c>npm ci</c> in perf/socketio-reference unless its node_modules is newer than package-lock.json (npm
    /// writes node_modules/.package-lock.json on every install). Returns the folder; throws when it cannot.
    /// </summary>
    public static string EnsureInstalled()
    {
        var source = FindSource() ?? throw new InvalidOperationException($"no {SourceFolder} (server.mjs) above {Directory.GetCurrentDirectory()}");
        if (FindNode() is null)
        {
            throw new InvalidOperationException("node is not on PATH (scripts/setup installs it): socket.io on Node cannot run");
        }

        var installed = Path.Combine(source, "node_modules", ".package-lock.json");
        if (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(Path.Combine(source, "package-lock.json")))
        {
            return source;
        }

        var npm = FindOnPath("npm") ?? throw new InvalidOperationException("npm is not on PATH (scripts/setup installs it)");
        var start = new ProcessStartInfo(npm) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = source };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }

        using var install = Process.Start(start) ?? throw new InvalidOperationException("could not run npm");
        var errors = install.StandardError.ReadToEndAsync();
        _ = install.StandardOutput.ReadToEnd();
        install.WaitForExit();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {source} failed: {errors.Result}");
        }

        return source;
    }

    /// <summary>Starts <c>node server.mjs</c> from <paramref name="source"/> (pinned with taskset when <paramref name="cpu"/> is given) and waits for its "listening" line.</summary>
    public static async Task<SocketIoNodeServer> StartAsync(string source, int? cpu, string logPath)
    {
        var node = FindNode() ?? throw new InvalidOperationException("node is not on PATH");
        var script = Path.Combine(source, "server.mjs");
        var process = ChildProcesses.StartPinned(node, [script, "--bind", "127.0.0.1", "--port", "0", "--udp-port", "0"], cpu, logPath, readStandardOutput: true);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var match = line is null ? null : ListeningLine().Match(line);
            if (match is not { Success: true })
            {
                throw new InvalidOperationException($"socket.io on Node printed no listening line (got '{line}'); log: {logPath}");
            }

            var tcp = IPEndPoint.Parse(match.Groups["tcp"].Value);
            var udp = IPEndPoint.Parse(match.Groups["udp"].Value);
            var baseUri = new Uri($"http://{tcp}");
            return new SocketIoNodeServer(process, baseUri, udp, $"node {NodeVersion(node)} {script}, socket.io {SocketIoVersion(source)} (pid {process.Id}, {baseUri}, UDP ingest {udp})");
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or FormatException)
        {
            ChildProcesses.Kill(process);
            process.Dispose();
            throw e as InvalidOperationException ?? new InvalidOperationException($"socket.io on Node did not start within 30 s; log: {logPath}", e);
        }
    }

    /// <summary>SIGTERM (the server exits at once), then SIGKILL after 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.TerminateAsync(_process, TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private static string? FindOnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string NodeVersion(string node)
    {
        var start = new ProcessStartInfo(node, "--version") { UseShellExecute = false, RedirectStandardOutput = true };
        using var process = Process.Start(start);
        var version = process?.StandardOutput.ReadToEnd().Trim() ?? "?";
        process?.WaitForExit();
        return version;
    }

    /// <summary>The installed socket.io's version, read from its package.json (a "version" line; no JSON reflection).</summary>
    private static string SocketIoVersion(string source)
    {
        var package = Path.Combine(source, "node_modules", "socket.io", "package.json");
        var match = File.Exists(package) ? VersionField().Match(File.ReadAllText(package)) : Match.Empty;
        return match.Success ? match.Groups["v"].Value : "?";
    }

    [GeneratedRegex(@"listening tcp (?<tcp>[0-9.]+:[0-9]+) udp (?<udp>[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex("\"version\"\\s*:\\s*\"(?<v>[^\"]+)\"")]
    private static partial Regex VersionField();
}
