using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// A child process of the cluster test (an Edge, HAProxy) whose stdout and stderr are read in the background, so a
/// chatty process never blocks on a full pipe; the last lines are kept for failure messages. Dispose kills it.
/// </summary>
internal sealed class ClusterProcess : IDisposable
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigStop = 19;
    public const int SigCont = 18;

    private const int KeptLines = 300;
    private readonly Queue<string> _lines = new();
    private readonly Process _process;

    private ClusterProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ClusterProcess Start(string name, ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start };
        var started = new ClusterProcess(name, process);
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The last lines it wrote (stdout and stderr interleaved), for a failure message.</summary>
    public string Output
    {
        get
        {
            var text = new StringBuilder();
            lock (_lines)
            {
                foreach (var line in _lines)
                {
                    text.Append("  ").AppendLine(line);
                }
            }

            return text.ToString();
        }
    }

    public bool Wrote(string fragment)
    {
        lock (_lines)
        {
            foreach (var line in _lines)
            {
                if (line.Contains(fragment, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) for {Name} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to end; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(bound.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGKILL ends a stopped (SIGSTOP) process too.
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started or is already gone.
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
