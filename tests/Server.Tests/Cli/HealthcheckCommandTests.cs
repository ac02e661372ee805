using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.Server.Cli;

namespace Edge.Server.Tests.Cli;

public sealed class HealthcheckCommandTests
{
    [TestCase("HTTP/1.1 200 OK", 0)]
    [TestCase("HTTP/1.1 503 Service Unavailable", 1)]
    public async Task The_exit_code_follows_the_status(string statusLine, int expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = AnswerOnceAsync(listener, statusLine);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await HealthcheckCommand.RunAsync([$"http://127.0.0.1:{port}/healthz"], output, error);
        var request = await server;

        Assert.That(code, Is.EqualTo(expected), error.ToString());
        Assert.That(request, Does.StartWith("GET /healthz HTTP/1.1\r\n"));
    }

    [Test]
    public async Task Nothing_listening_exits_1()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HealthcheckCommand.RunAsync([$"http://127.0.0.1:{port}/healthz"], output, error);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("healthcheck:"));
    }

    [Test]
    public async Task A_url_that_is_not_http_exits_1()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.That(await HealthcheckCommand.RunAsync(["ftp://127.0.0.1/healthz"], output, error), Is.EqualTo(1));
    }

    private static async Task<string> AnswerOnceAsync(TcpListener listener, string statusLine)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var length = 0;
        while (!Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        var body = "{}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{statusLine}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, length);
    }
}
