using System.Text;
using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;
using Edge.Server.Http;

namespace Edge.Server.Tests.Http;

public sealed class HttpRequestDecoderTests
{
    private static readonly HttpLimits SmallLimits = new() { MaxRequestLineBytes = 64, MaxHeaderBytes = 256, MaxHeaderCount = 4, MaxBodyBytes = 16 };

    private static List<object> Feed(HttpLimits limits, params string[] chunks)
    {
        var channel = new EmbeddedChannel(new HttpRequestDecoder(limits));
        try
        {
            foreach (var chunk in chunks)
            {
                channel.WriteInbound(Unpooled.WrappedBuffer(Encoding.Latin1.GetBytes(chunk)));
            }

            var messages = new List<object>();
            object? message;
            while ((message = channel.ReadInbound<object>()) is not null)
            {
                messages.Add(message);
            }

            return messages;
        }
        finally
        {
            channel.CloseAsync().Wait(TimeSpan.FromSeconds(10));
        }
    }

    [Test]
    public void Parses_request_line_headers_path_and_query()
    {
        var messages = Feed(new HttpLimits(), "GET /market-data?token=abc&x=1 HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n");

        Assert.That(messages, Has.Count.EqualTo(1));
        var request = (HttpRequestHead)messages[0];
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Path, Is.EqualTo("/market-data"));
            Assert.That(request.Query, Is.EqualTo("token=abc&x=1"));
            Assert.That(request.Header("upgrade"), Is.EqualTo("websocket"));
            Assert.That(request.HeaderHasToken("Connection", "upgrade"), Is.True);
            Assert.That(request.KeepAlive, Is.True);
        });
    }

    [Test]
    public void Assembles_a_request_sent_one_byte_at_a_time()
    {
        const string Text = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
        var chunks = new string[Text.Length];
        for (var i = 0; i < Text.Length; i++)
        {
            chunks[i] = Text[i].ToString();
        }

        var messages = Feed(new HttpLimits(), chunks);

        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(((HttpRequestHead)messages[0]).Path, Is.EqualTo("/healthz"));
    }

    [Test]
    public void Decodes_pipelined_requests_and_a_content_length_body()
    {
        var messages = Feed(new HttpLimits(), "POST /admin HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel", "loGET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.That(messages, Has.Count.EqualTo(2));
        Assert.That(Encoding.ASCII.GetString(((HttpRequestHead)messages[0]).Body), Is.EqualTo("hello"));
        Assert.That(((HttpRequestHead)messages[1]).Path, Is.EqualTo("/healthz"));
    }

    [TestCase("GET /x HTTP/1.1\r\nHost: a\r\nBad Header: v\r\n\r\n", 400)]
    [TestCase("GET /x HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400)]
    [TestCase("GET /x HTTP/1.1\r\n\r\n", 400)]
    [TestCase("GET x HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [TestCase("GET /x\r\nHost: a\r\n\r\n", 400)]
    [TestCase("G(T /x HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [TestCase("GET /x HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [TestCase("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n", 413)]
    [TestCase("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400)]
    [TestCase("GET /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501)]
    [TestCase("GET /x HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 431)]
    [TestCase("GET /xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx HTTP/1.1\r\nHost: a\r\n\r\n", 414)]
    public void Refuses_bad_requests_with_the_right_status(string text, int status)
    {
        var messages = Feed(SmallLimits, text);

        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0], Is.TypeOf<HttpRequestRefusal>());
        Assert.That(((HttpRequestRefusal)messages[0]).Status, Is.EqualTo(status));
    }

    [Test]
    public void Refuses_an_endless_request_line_without_waiting_for_its_end()
    {
        var messages = Feed(SmallLimits, new string('A', 100));

        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(((HttpRequestRefusal)messages[0]).Status, Is.EqualTo(414));
    }

    [Test]
    public void Refuses_endless_headers_and_ignores_everything_after()
    {
        var messages = Feed(SmallLimits, "GET / HTTP/1.1\r\n" + new string('h', 300), "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(((HttpRequestRefusal)messages[0]).Status, Is.EqualTo(431));
    }

    [Test]
    public void Http10_closes_unless_asked_to_keep_alive()
    {
        var messages = Feed(new HttpLimits(), "GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");

        Assert.That(((HttpRequestHead)messages[0]).KeepAlive, Is.False);
        Assert.That(((HttpRequestHead)messages[1]).KeepAlive, Is.True);
    }
}
