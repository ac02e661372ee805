using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// A Linux network namespace made for one test (<c>ip netns add</c>): its own loopback, up, with a multicast route
/// on it, so nothing is added to the host's interfaces or routes. Processes run in it through <c>ip netns exec</c>
/// (<see cref="Command"/>); the test process itself makes sockets in it (<see cref="Inside{T}"/>), which stay in the
/// namespace whichever thread uses them later. <see cref="Dispose"/> kills what is left in it and deletes it.
/// </summary>
/// <remarks>
/// Names are <c>edge-cluster-PID-N</c>: a namespace whose test process is gone (a crashed or killed run) is swept
/// at the next <see cref="Create"/>, its processes killed first; a namespace of another run still going is left alone.
/// </remarks>
internal sealed class NetworkNamespace : IDisposable
{
    public const string Prefix = "edge-cluster-";

    // CLONE_NEWNET, <sched.h>.
    private const int NewNetworkNamespace = 0x40000000;
    private static int _created;
    private bool _deleted;

    private NetworkNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Why this machine cannot run namespaced tests (not root, no <c>ip</c>), or null when it can.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces are Linux only";
        }

        if (GetEffectiveUserId() != 0)
        {
            return "not root: making a network namespace (ip netns add) needs root";
        }

        return Ip() is null ? "the ip command (iproute2) is not installed" : null;
    }

    /// <summary>Sweeps stale namespaces of earlier runs, then makes a fresh one with loopback up and 224.0.0.0/4 on it.</summary>
    public static NetworkNamespace Create()
    {
        SweepStale();
        var name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _created)}");
        RunIp("netns", "add", name);
        var created = new NetworkNamespace(name);
        try
        {
            RunIp("-n", name, "link", "set", "lo", "up");
            // Multicast on the namespace's own loopback (for multicast channels); the host's routes are untouched.
            RunIp("-n", name, "route", "add", "224.0.0.0/4", "dev", "lo");
        }
        catch
        {
            created.Dispose();
            throw;
        }

        return created;
    }

    /// <summary>A command run inside the namespace: <c>ip netns exec NAME file args</c> (ip execs it: same process id).</summary>
    public ProcessStartInfo Command(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Ip()!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["netns", "exec", Name, file, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>
    /// Runs <paramref name="create"/> on a new thread that has joined the namespace, and returns what it made:
    /// sockets it opens belong to the namespace for good. The thread ends right after, so no pool thread, timer or
    /// other test ever runs in the namespace; only threads <paramref name="create"/> starts itself (an Aeron
    /// publisher's duty thread) inherit it.
    /// </summary>
    public T Inside<T>(Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine("/run/netns", Name));
                if (SetNamespace(handle, NewNetworkNamespace) != 0)
                {
                    throw new InvalidOperationException($"setns({Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = create();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { Name = "netns-" + Name, IsBackground = true };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"in namespace {Name}: {failure.Message}", failure);
        }

        return result!;
    }

    /// <summary>A socket of the namespace.</summary>
    public Socket Socket(SocketType type, ProtocolType protocol) =>
        Inside(() => new Socket(AddressFamily.InterNetwork, type, protocol));

    /// <summary>
    /// An HTTP client whose connections are made in the namespace (a new one per request, none pooled), for probes
    /// such as <c>/readyz</c> straight to one Edge.
    /// </summary>
    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectCallback = ConnectAsync,
    })
    { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Connects a TCP socket of the namespace to a literal address (an HTTP handler's connect callback).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Kills every process still in the namespace, then deletes it. Safe to call twice.</summary>
    public void Dispose()
    {
        if (_deleted)
        {
            return;
        }

        _deleted = true;
        Delete(Name);
    }

    private static void SweepStale()
    {
        var (_, list) = RunIpAllowingFailure("netns", "list");
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var owner = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}"))
            {
                continue; // Its run is still going (or the id was reused): not ours to delete.
            }

            TestContext.Progress.WriteLine($"cluster: deleting stale network namespace {name}");
            Delete(name);
        }
    }

    private static void Delete(string name)
    {
        var (_, pids) = RunIpAllowingFailure("netns", "pids", name);
        foreach (var line in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                _ = Kill(pid, 9);
            }
        }

        var (status, output) = RunIpAllowingFailure("netns", "delete", name);
        if (status != 0)
        {
            TestContext.Progress.WriteLine($"cluster: ip netns delete {name} failed ({status}): {output}");
        }
    }

    private static void RunIp(params string[] arguments)
    {
        var (status, output) = RunIpAllowingFailure(arguments);
        if (status != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({status}): {output}");
        }
    }

    private static (int Status, string Output) RunIpAllowingFailure(params string[] arguments)
    {
        var start = new ProcessStartInfo(Ip() ?? "ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            return (-1, "timed out");
        }

        return (process.ExitCode, output.Result + error.Result);
    }

    private static string? Ip()
    {
        foreach (var candidate in new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(SafeFileHandle fd, int type);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
