using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Edge.Perf.Native;

namespace Edge.Perf.Target;

/// <summary>What the servers the tool starts (Edge, HAProxy, the reference server) share: free loopback ports and stopping.</summary>
internal static class ChildProcesses
{
    /// <summary>A port the OS hands out on 127.0.0.1 for <paramref name="type"/>, free when this returns.</summary>
    public static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Starts <paramref name="executable"/> through sh, pinned with taskset when <paramref name="cpu"/> is given (exec
    /// keeps one pid from sh through taskset to the server, so /proc/&lt;pid&gt; is the server itself). Its stderr goes
    /// to <paramref name="logPath"/>, and so does its stdout unless <paramref name="readStandardOutput"/>.
    /// </summary>
    public static Process StartPinned(string executable, IEnumerable<string> arguments, int? cpu, string logPath, bool readStandardOutput = false)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = readStandardOutput };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(readStandardOutput ? "exec \"$0\" \"$@\" 2>\"$EDGE_PERF_LOG\"" : "exec \"$0\" \"$@\" >\"$EDGE_PERF_LOG\" 2>&1");
        if (cpu is { } pin)
        {
            start.ArgumentList.Add("taskset");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(pin.ToString(CultureInfo.InvariantCulture));
        }

        start.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["EDGE_PERF_LOG"] = logPath;
        return Process.Start(start) ?? throw new InvalidOperationException("could not start " + executable);
    }

    /// <summary>SIGTERM, then SIGKILL when the process has not exited within <paramref name="grace"/>.</summary>
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        if (!process.HasExited)
        {
            _ = LinuxNative.kill(process.Id, 15);
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }
    }

    /// <summary>SIGKILL for a process that failed to start (waits up to 5 s for it to go).</summary>
    public static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(5000);
        }
    }
}
