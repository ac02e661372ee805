using System.Diagnostics;
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
