using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Edge.Perf.Target;

/// <summary>
/// The original stack as a reference (perf/socketio-reference): a socket.io 4 server on Node playing the original
/// gateway's hot path, its pinned dependencies installed with <c>npm ci</c> when missing or older than the lockfile,
/// started with <c>node</c> on free loopback ports (pinned like Edge), its ports read from the line it prints on stdout.
/// </summary>
internal static partial class SocketIoNodeServer
{
    public const string SourceFolder = "perf/socketio-reference";

    /// <summary>node on PATH (null: not installed; scripts/setup installs it).</summary>
    public static string? FindNode() => FindOnPath("node");

    /// <summary>The repository's perf/socketio-reference (null: not found).</summary>
    public static string? FindSource() => ListeningServerProcess.FindSource(SourceFolder, "server.mjs");

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
        ListeningServerProcess.RunToEnd(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], source, $"npm ci in {source} failed");
        return source;
    }

    /// <summary>Starts <c>node server.mjs</c> from <paramref name="source"/> (pinned with taskset when <paramref name="cpu"/> is given) and waits for its "listening" line.</summary>
    public static Task<ListeningServerProcess> StartAsync(string source, int? cpu, string logPath)
    {
        var node = FindNode() ?? throw new InvalidOperationException("node is not on PATH");
        var script = Path.Combine(source, "server.mjs");
        return ListeningServerProcess.StartAsync("socket.io on Node", node, [script], cpu, logPath,
            $"node {NodeVersion(node)} {script}, socket.io {SocketIoVersion(source)}");
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

    [GeneratedRegex("\"version\"\\s*:\\s*\"(?<v>[^\"]+)\"")]
    private static partial Regex VersionField();
}
