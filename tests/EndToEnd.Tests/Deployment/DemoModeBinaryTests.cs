using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>
/// Demo mode as a new user meets it through the published binary: it listens on loopback only unless a BindAddress
/// is given (it hands tokens to whoever asks), prints its banner (page, token, connect lines) as one block after
/// the listening line, and logs text on a terminal but JSON into a pipe.
/// </summary>
public sealed partial class DemoModeBinaryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Demo_mode_listens_on_loopback_only_unless_a_bind_address_is_given()
    {
        using var edge = EdgeBinary.Start(["--port", "0", "--Ingest:Endpoint", "127.0.0.1:0"]);
        var lines = await ReadBannerAsync(edge);
        edge.DrainOutput();
        var port = ListeningPort(lines, "127.0.0.1");

        // 127.0.0.2 is this host's loopback too, but a socket bound to 127.0.0.1 does not take its connections.
        Assert.That(await ConnectsAsync(IPAddress.Parse("127.0.0.2"), port), Is.False, "demo mode must not listen beyond 127.0.0.1");
        var token = await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, port), "/demo/token");
        Assert.That(token.Status, Is.EqualTo(200), "the demo page still gets its tokens on loopback");
        Assert.That(await edge.StopAsync(), Is.Zero, edge.DrainedOutput);
    }

    [Test]
    public async Task The_listening_line_says_where_metrics_are_served_when_they_have_a_port_of_their_own()
    {
        using var edge = EdgeBinary.Start(["--port", "0", "--Ingest:Endpoint", "127.0.0.1:0", "--Metrics:Port", "0"]);
        var lines = await ReadBannerAsync(edge);
        edge.DrainOutput();
        var port = ListeningPort(lines, "127.0.0.1");
        var listening = lines.Find(line => line.StartsWith("edge: listening on ", StringComparison.Ordinal))!;
        var metrics = Regex.Match(listening, @"/metrics on http://([0-9.]+):(\d+)\)");

        Assert.That(metrics.Success, Is.True, listening);
        var metricsEndPoint = new IPEndPoint(IPAddress.Parse(metrics.Groups[1].Value), int.Parse(metrics.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.That((await RawHttp.GetAsync(metricsEndPoint, "/metrics")).Status, Is.EqualTo(200), "the line names the metrics listener");
        Assert.That((await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, port), "/metrics")).Status, Is.EqualTo(404), "not the main port");
        Assert.That(await edge.StopAsync(), Is.Zero, edge.DrainedOutput);
    }

    [TestCase("command line")]
    [TestCase("environment")]
    public async Task Demo_mode_listens_where_an_explicit_bind_address_says(string source)
    {
        using var edge = source == "command line"
            ? EdgeBinary.Start(["--port", "0", "--Ingest:Endpoint", "127.0.0.1:0", "--BindAddress", "0.0.0.0"])
            : EdgeBinary.Start(["--port", "0", "--Ingest:Endpoint", "127.0.0.1:0"], new Dictionary<string, string> { ["EDGE_BindAddress"] = "0.0.0.0" });
        var lines = await ReadBannerAsync(edge);
        edge.DrainOutput();
        var port = ListeningPort(lines, "0.0.0.0");

        Assert.That(await ConnectsAsync(IPAddress.Parse("127.0.0.2"), port), Is.True);
        Assert.That(lines, Has.None.Contains("listens on 127.0.0.1 only"));
        Assert.That(await edge.StopAsync(), Is.Zero, edge.DrainedOutput);
    }

    [Test]
    public async Task The_banner_is_one_block_after_the_listening_line_and_the_log_is_json_into_a_pipe()
    {
        using var edge = EdgeBinary.Start(["--port", "0", "--Ingest:Endpoint", "127.0.0.1:0"]);
        var lines = await ReadBannerAsync(edge);
        // The start-up log line arrives from the logger's own thread, possibly after the banner: read on until it.
        using (var timeout = new CancellationTokenSource(Timeout))
        {
            while (!lines.Exists(line => line.Contains("Edge started", StringComparison.Ordinal)))
            {
                lines.Add(await edge.Process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("edge exited: " + string.Join('\n', lines)));
            }
        }

        edge.DrainOutput();
        var all = string.Join('\n', lines);
        var listening = lines.FindIndex(line => line.StartsWith("edge: listening on ", StringComparison.Ordinal));
        var tokenLine = lines.FindIndex(line => line.Contains("development token (12 h, tenant 'demo'): ", StringComparison.Ordinal));
        Assert.That(listening, Is.GreaterThanOrEqualTo(0), all);
        Assert.That(tokenLine, Is.GreaterThan(listening), all);

        // The block: from the blank line before the token to the blank line after it, nothing but the banner.
        var start = lines.FindLastIndex(tokenLine, line => line.Length == 0);
        var end = lines.FindIndex(tokenLine, line => line.Length == 0);
        Assert.That(start, Is.GreaterThan(listening), all);
        Assert.That(end, Is.GreaterThan(tokenLine), all);
        var block = lines.GetRange(start + 1, end - start - 1);
        Assert.That(block, Has.All.StartWith("edge: "), all);
        Assert.That(block[0], Does.StartWith("edge: demo mode: simulated prices"), all);
        Assert.That(block, Has.One.Match(@"^edge: demo page: http://127\.0\.0\.1:\d+/$"), all);
        Assert.That(block, Has.One.Match(@"^edge: development token \(12 h, tenant 'demo'\): [\w-]+\.[\w-]+\.[\w-]+$"), all);
        Assert.That(block, Has.One.Match(@"^edge: connect: ws://127\.0\.0\.1:\d+/market-data\?token=<token>"), all);
        Assert.That(block, Has.One.Match(@"^edge: or stream: curl -N ""http://127\.0\.0\.1:\d+/market-data/stream\?"), all);
        Assert.That(block, Has.One.Contains("listens on 127.0.0.1 only"), all);
        // Output into a pipe (not a terminal): the log stays JSON for log shippers.
        Assert.That(lines.Find(line => line.Contains("Edge started", StringComparison.Ordinal)), Does.StartWith("{"), all);
        Assert.That(await edge.StopAsync(), Is.Zero, edge.DrainedOutput);
    }

    [Test]
    public async Task On_a_terminal_the_log_is_text()
    {
        var binary = EdgeBinary.Path();
        // util-linux script(1) runs Edge on a pseudo-terminal; exec makes Edge script's own child.
        var start = new ProcessStartInfo("script", ["-q", "-e", "-c", $"exec '{binary}' --port 0 --Ingest:Endpoint 127.0.0.1:0", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        using var script = Process.Start(start)!;
        try
        {
            var lines = new List<string>();
            using var timeout = new CancellationTokenSource(Timeout);
            // Until both the start-up log line and the banner's token line have come, in whatever order.
            while (!lines.Exists(IsStarted) || !lines.Exists(line => line.Contains("development token", StringComparison.Ordinal)))
            {
                var line = await script.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("edge exited: " + string.Join('\n', lines));
                lines.Add(AnsiEscape().Replace(line, string.Empty).TrimEnd('\r'));
            }

            Assert.That(lines.Find(IsStarted), Does.Not.StartWith("{").And.Contain("info:"), string.Join('\n', lines));
        }
        finally
        {
            // Script passes no SIGTERM on: end the whole tree (script and the Edge it runs).
            script.Kill(entireProcessTree: true);
            await script.WaitForExitAsync();
        }
    }

    private static bool IsStarted(string line) => line.Contains("Edge started", StringComparison.Ordinal);

    /// <summary>Reads stdout up to the blank line that ends the demo banner (the one after the token).</summary>
    private static async Task<List<string>> ReadBannerAsync(EdgeBinary edge)
    {
        var lines = new List<string>();
        var sawToken = false;
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var line = await edge.Process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("edge exited before its banner: " + string.Join('\n', lines) + await edge.Process.StandardError.ReadToEndAsync(timeout.Token));
            lines.Add(line);
            sawToken |= line.Contains("development token", StringComparison.Ordinal);
            if (sawToken && line.Length == 0)
            {
                return lines;
            }
        }
    }

    private static int ListeningPort(List<string> lines, string address)
    {
        var listening = lines.Find(line => line.StartsWith("edge: listening on ", StringComparison.Ordinal));
        Assert.That(listening, Does.StartWith($"edge: listening on http://{address}:"), string.Join('\n', lines));
        return int.Parse(ListeningLine().Match(listening!).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<bool> ConnectsAsync(IPAddress address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    [GeneratedRegex(@"listening on https?://[^\s]*:(\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
