using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>
/// The published binary refuses to start on a port another process holds, with one clear line and exit code 1
/// (a second Edge once shared the TCP port through SO_REUSEPORT, and crashed with SIGABRT on a taken UDP port), and
/// still restarts at once on a port whose old connections wait in TIME_WAIT.
/// </summary>
public sealed class PortInUseBinaryTests
{
    [Test]
    public async Task A_second_edge_on_a_taken_tcp_port_exits_1_saying_so_and_the_first_keeps_serving()
    {
        using var first = EdgeBinary.Start(["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0"]);
        var port = await first.ReadPortAsync();
        first.DrainOutput();
        var portText = port.ToString(CultureInfo.InvariantCulture);

        var second = await EdgeBinary.RunAsync("--port", portText, "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0");

        Assert.That(second.ExitCode, Is.EqualTo(1), second.Output + second.Error);
        Assert.That(second.Error, Does.Contain($"edge: cannot start: port {portText} is in use"));
        Assert.That(second.Output, Does.Not.Contain("listening on"));
        // Every connection reaches the first Edge: it answers them all, none is refused or reset.
        for (var i = 0; i < 10; i++)
        {
            var health = await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, port), "/healthz");
            Assert.That(health.Status, Is.EqualTo(200));
        }

        Assert.That(await first.StopAsync(), Is.Zero, first.DrainedOutput);
    }

    [Test]
    public async Task A_taken_ingest_udp_port_exits_1_saying_so_instead_of_crashing()
    {
        // Another process's socket on the ingest port (as a second Edge on the same machine would hold it).
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var ingest = (IPEndPoint)holder.LocalEndPoint!;

        var edge = await EdgeBinary.RunAsync("--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", ingest.ToString());

        Assert.That(edge.ExitCode, Is.EqualTo(1), edge.Output + edge.Error);
        Assert.That(edge.Error, Does.Contain($"edge: cannot start: ingest port {ingest} is in use"));
        Assert.That(edge.Error, Does.Not.Contain("Unhandled exception"));
        Assert.That(edge.Output, Does.Not.Contain("listening on"));
    }

    [Test]
    public async Task A_restart_on_a_port_with_connections_in_time_wait_listens_at_once()
    {
        using var first = EdgeBinary.Start(["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0"]);
        var port = await first.ReadPortAsync();
        first.DrainOutput();
        // Edge closes first after answering "Connection: close", so its side of the connection enters TIME_WAIT.
        using (var client = await RawHttp.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)))
        {
            await client.SendAsync("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.That((await client.ReadResponseAsync()).Status, Is.EqualTo(200));
            Assert.That(await client.WaitForCloseAsync(), Is.True, "Edge closes the connection after the answer");
        }

        Assert.That(await first.StopAsync(), Is.Zero, first.DrainedOutput);
        Assert.That(TimeWaitConnections(port), Is.GreaterThan(0), "the test needs a TIME_WAIT connection on Edge's port");

        using var second = EdgeBinary.Start(["--port", port.ToString(CultureInfo.InvariantCulture), "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0"]);

        Assert.That(await second.ReadPortAsync(), Is.EqualTo(port));
        Assert.That(await second.StopAsync(), Is.Zero);
    }

    /// <summary>
    /// TCP sockets in TIME_WAIT (state 06) whose local port is <paramref name="port"/>; both tables, since Edge's
    /// listener is a dual-mode IPv6 socket (its connections from 127.0.0.1 are listed as ::ffff:127.0.0.1).
    /// </summary>
    private static int TimeWaitConnections(int port)
    {
        var count = 0;
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1).Concat(File.ReadLines("/proc/net/tcp6").Skip(1)))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var local = fields[1];
            var localPort = int.Parse(local[(local.IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (localPort == port && fields[3] == "06")
            {
                count++;
            }
        }

        return count;
    }
}
