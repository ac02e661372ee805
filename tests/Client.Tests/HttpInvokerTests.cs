using System.Net;
using System.Net.Sockets;
using Edge.EndToEnd.Tests.Support;

namespace Edge.Client.Tests;

/// <summary><see cref="MarketDataClientOptions.HttpInvoker"/>: the application's handler makes the connection.</summary>
public sealed class HttpInvokerTests
{
    [Test]
    public async Task The_handlers_connect_callback_makes_the_connection_the_client_uses()
    {
        await using var edge = await RunningEdge.StartAsync();
        var connects = 0;
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connects);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                // The point of a callback: a socket the application chose, here from a source address of its own.
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.7"), 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        await using var client = new MarketDataClient(new MarketDataClientOptions { Url = edge.Url, Token = edge.Token(), HttpInvoker = invoker });

        await client.ConnectAsync();

        Assert.That(client.IsConnected, Is.True);
        Assert.That(connects, Is.EqualTo(1), "the handshake went through the invoker's connect callback");
        Assert.That(await client.PingAsync(), Is.GreaterThan(0L), "the connection the callback made carries the protocol");
    }
}
