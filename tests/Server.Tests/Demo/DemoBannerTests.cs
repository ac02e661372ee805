using Edge.Server.Configuration;
using Edge.Server.Demo;

namespace Edge.Server.Tests.Demo;

public sealed class DemoBannerTests
{
    [Test]
    public void The_banner_is_one_block_framed_by_blank_lines_with_the_page_token_and_connect_lines()
    {
        var options = new EdgeOptions { BindAddress = "127.0.0.1" };

        var banner = DemoBanner.Render(options, 8123, page: true, token: "aaa.bbb.ccc")!;
        var lines = banner.Split('\n');

        Assert.That(lines[0], Is.Empty, "a blank line before");
        Assert.That(banner, Does.EndWith(Environment.NewLine + Environment.NewLine), "a blank line after");
        Assert.That(lines[1..^2], Has.All.StartWith("edge: "));
        Assert.That(banner, Does.Contain("edge: demo page: http://127.0.0.1:8123/"));
        Assert.That(banner, Does.Contain("edge: development token (12 h, tenant 'demo'): aaa.bbb.ccc"));
        Assert.That(banner, Does.Contain("edge: connect: ws://127.0.0.1:8123/market-data?token=<token>"));
        Assert.That(banner, Does.Contain("edge: or stream: curl -N \"http://127.0.0.1:8123/market-data/stream?symbols="));
        Assert.That(banner, Does.Contain("listens on 127.0.0.1 only"));
    }

    [Test]
    public void A_wildcard_bind_shows_localhost_and_tls_the_secure_schemes()
    {
        var options = new EdgeOptions { BindAddress = "0.0.0.0" };
        options.Tls.Enabled = true;

        var banner = DemoBanner.Render(options, 443, page: true, token: "t.t.t")!;

        Assert.That(banner, Does.Contain("https://localhost:443/").And.Contain("wss://localhost:443/market-data"));
        Assert.That(banner, Does.Not.Contain("only"));
    }

    [Test]
    public void Nothing_is_printed_without_a_page_and_a_token()
    {
        var options = new EdgeOptions();
        options.Demo.Enabled = false;

        Assert.That(DemoBanner.Render(options, 8080, page: false, token: null), Is.Null);
        Assert.That(DemoBanner.Render(options, 8080, page: true, token: null), Does.Contain("edge: demo page: http://localhost:8080/").And.Not.Contain("token"));
    }
}
