using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Edge.Perf.Target;

/// <summary>
/// A reference server run as a child process (the C server, socket.io on Node): started on free loopback ports,
/// pinned like Edge, its ports read from the "listening tcp A udp B" line it prints on stdout (stderr goes to the log).
/// </summary>
internal sealed partial class ListeningServerProcess : IServerUnderTest
{
    private readonly Process _process;

    private ListeningServerProcess(Process process, Uri baseUri, IPEndPoint ingest, string description)
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

    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="arguments"/> plus the free-port arguments (pinned with taskset
    /// when <paramref name="cpu"/> is given) and waits up to 30 s for its listening line. <paramref name="name"/> names it
    /// in errors; the description is "<paramref name="describe"/> (pid, address, UDP ingest)".
    /// </summary>
    public static async Task<ListeningServerProcess> StartAsync(string name, string file, string[] arguments, int? cpu, string logPath, string describe)
    {
        var process = ChildProcesses.StartPinned(file, [.. arguments, "--bind", "127.0.0.1", "--port", "0", "--udp-port", "0"], cpu, logPath, readStandardOutput: true);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var match = line is null ? null : ListeningLine().Match(line);
            if (match is not { Success: true })
            {
                throw new InvalidOperationException($"{name} printed no listening line (got '{line}'); log: {logPath}");
            }

            var tcp = IPEndPoint.Parse(match.Groups["tcp"].Value);
            var udp = IPEndPoint.Parse(match.Groups["udp"].Value);
            var baseUri = new Uri($"http://{tcp}");
            return new ListeningServerProcess(process, baseUri, udp, $"{describe} (pid {process.Id}, {baseUri}, UDP ingest {udp})");
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or FormatException)
        {
            ChildProcesses.Kill(process);
            process.Dispose();
            throw e as InvalidOperationException ?? new InvalidOperationException($"{name} did not start within 30 s; log: {logPath}", e);
        }
    }

    /// <summary>
    /// The repository folder <paramref name="folder"/> holding <paramref name="marker"/>, searched upwards from the
    /// working directory and then from the tool's own directory (null: not found).
    /// </summary>
    public static string? FindSource(string folder, string marker)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, folder);
                if (File.Exists(Path.Combine(candidate, marker)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Runs a set-up command (a build, an install) to its end; throws with <paramref name="failure"/> and its stderr when it fails.</summary>
    public static void RunToEnd(string file, string[] arguments, string? workingDirectory, string failure)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var run = Process.Start(start) ?? throw new InvalidOperationException($"could not run {file}");
        var errors = run.StandardError.ReadToEndAsync();
        _ = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{failure}: {errors.Result}");
        }
    }

    /// <summary>SIGTERM (the reference servers have no drain: they exit at once), then SIGKILL after 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.TerminateAsync(_process, TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    [GeneratedRegex(@"listening tcp (?<tcp>[0-9.]+:[0-9]+) udp (?<udp>[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();
}
