namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>The published binary under a pretend systemd: a notify socket, NOTIFY_SOCKET and WATCHDOG_USEC.</summary>
public sealed class SystemdNotifyBinaryTests
{
    [Test]
    public async Task The_binary_sends_READY_STATUS_and_WATCHDOG_in_order_then_STOPPING_on_SIGTERM_and_exits_0()
    {
        EdgeBinary.Path();
        using var systemd = new NotifySocket();
        var environment = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = systemd.Address,
            // WatchdogSec=4: a ping every 2 s, each after a 1 s health probe of the event loops (a shorter probe turns
            // a scheduling stall on a loaded machine into an "unhealthy" status).
            ["WATCHDOG_USEC"] = "4000000",
        };
        using var edge = EdgeBinary.Start(["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0"], environment);

        var ready = await systemd.ReceiveAsync();
        var port = await edge.ReadPortAsync();
        var untilPing = await systemd.ReceiveUntilAsync(static d => d.Contains("WATCHDOG=1", StringComparison.Ordinal));
        var secondPing = await systemd.ReceiveUntilAsync(static d => d.Contains("WATCHDOG=1", StringComparison.Ordinal));
        var exitCode = await edge.StopAsync();
        var rest = systemd.Drain();

        Assert.That(ready, Does.StartWith("READY=1\nSTATUS=serving http port " + port + ": 0 connections"));
        Assert.That(ready, Does.Contain("ingest udp 127.0.0.1:"));
        Assert.That(untilPing[^1], Does.Match(@"^WATCHDOG=1\nSTATUS=serving http port \d+: \d+ connections, \d+ market-data sessions"));
        Assert.That(secondPing, Has.None.Contains("unhealthy"));
        Assert.That(rest, Has.Some.StartsWith("STOPPING=1\nSTATUS=draining"));
        Assert.That(rest.FindIndex(static d => d.StartsWith("STOPPING=1", StringComparison.Ordinal)), Is.EqualTo(rest.Count - 1), "nothing after STOPPING=1");
        Assert.That(exitCode, Is.Zero);
    }
}
