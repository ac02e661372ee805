using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>The published native binary (EDGE_BINARY, set by scripts/test) run as a child process; Dispose kills it if still running.</summary>
internal sealed partial class EdgeBinary : IDisposable
{
    public const int SigTerm = 15;
    public const int SigHup = 1;

    private readonly StringBuilder _drained = new();

    private EdgeBinary(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    /// <summary>The binary's path, or Assert.Ignore when scripts/test did not publish one.</summary>
    public static string Path()
    {
        var binary = Environment.GetEnvironmentVariable("EDGE_BINARY");
        if (string.IsNullOrEmpty(binary))
        {
            Assert.Ignore("EDGE_BINARY is not set: scripts/test publishes the native binary and sets it.");
        }

        Assert.That(File.Exists(binary), Is.True, $"EDGE_BINARY points at a missing file: {binary}");
        return binary!;
    }

    /// <summary>Starts the binary; with <paramref name="ignoringHangup"/> under coreutils' <c>nohup</c> (SIGHUP inherited as ignored).</summary>
    public static EdgeBinary Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, bool ignoringHangup = false)
    {
        var start = ignoringHangup
            ? new ProcessStartInfo("nohup", [Path(), .. args]) { RedirectStandardOutput = true, RedirectStandardError = true }
            : new ProcessStartInfo(Path(), args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new EdgeBinary(Process.Start(start)!);
    }

    /// <summary>Runs the binary to its end (a command such as --version) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var binary = Start(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = binary.Process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = binary.Process.StandardError.ReadToEndAsync(timeout.Token);
        await binary.Process.WaitForExitAsync(timeout.Token);
        return (binary.Process.ExitCode, await output, await error);
    }

    /// <summary>Reads stdout until the "listening on" line and returns the port.</summary>
    public async Task<int> ReadPortAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await Process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("edge exited before listening: " + await Process.StandardError.ReadToEndAsync(timeout.Token));
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Reads stdout until demo mode's development-token line and returns the token (after <see cref="ReadPortAsync"/>).</summary>
    public async Task<string> ReadTokenAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await Process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("edge exited before printing a token");
            if (line.Contains("development token", StringComparison.Ordinal))
            {
                return line[(line.LastIndexOf(' ') + 1)..];
            }
        }
    }

    /// <summary>
    /// Reads the rest of stdout and stderr in the background, so a chatty process never blocks on a full pipe; what it
    /// reads is kept for failure messages (<see cref="DrainedOutput"/>).
    /// </summary>
    public void DrainOutput()
    {
        _ = KeepAsync(Process.StandardOutput);
        _ = KeepAsync(Process.StandardError);
    }

    /// <summary>Everything <see cref="DrainOutput"/> has read so far, stdout and stderr interleaved by line.</summary>
    public string DrainedOutput
    {
        get
        {
            lock (_drained)
            {
                return _drained.ToString();
            }
        }
    }

    private async Task KeepAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_drained)
            {
                _drained.AppendLine(line);
            }
        }
    }

    public void Signal(int signal) => Assert.That(Kill(Process.Id, signal), Is.EqualTo(0));

    /// <summary>Sends SIGTERM and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Signal(SigTerm);
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Process.WaitForExitAsync(exited.Token);
        return Process.ExitCode;
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
            Process.WaitForExit(10_000);
        }

        Process.Dispose();
    }

    [GeneratedRegex(@"listening on https?://[^\s]*:(\d+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
