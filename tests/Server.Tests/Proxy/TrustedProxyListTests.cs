using System.Net;
using Edge.Server.Configuration;
using Edge.Server.Proxy;

namespace Edge.Server.Tests.Proxy;

public sealed class TrustedProxyListTests
{
    [Test]
    public void Matches_addresses_and_prefixes_of_both_families()
    {
        var list = new TrustedProxyList(["10.1.2.3", "192.168.0.0/23", "fd00::/64", " 127.0.0.1 "]);

        Assert.Multiple(() =>
        {
            Assert.That(list.Contains(IPAddress.Parse("10.1.2.3")), Is.True);
            Assert.That(list.Contains(IPAddress.Parse("10.1.2.4")), Is.False);
            Assert.That(list.Contains(IPAddress.Parse("192.168.1.200")), Is.True);
            Assert.That(list.Contains(IPAddress.Parse("192.168.2.1")), Is.False);
            Assert.That(list.Contains(IPAddress.Parse("fd00::1234")), Is.True);
            Assert.That(list.Contains(IPAddress.Parse("fd00:0:0:1::1")), Is.False);
            Assert.That(list.Contains(IPAddress.Parse("::ffff:10.1.2.3")), Is.True, "an IPv4-mapped peer is its IPv4 address");
            Assert.That(list.Contains(new IPEndPoint(IPAddress.Loopback, 4000)), Is.True);
            Assert.That(list.Contains((EndPoint?)null), Is.False);
        });
    }

    [Test]
    public void Empty_trusts_nobody()
    {
        var list = new TrustedProxyList([]);

        Assert.That(list.IsEmpty, Is.True);
        Assert.That(list.Contains(IPAddress.Loopback), Is.False);
    }

    [TestCase("")]
    [TestCase("10.0.0.0/33")]
    [TestCase("10.0.0.0/-1")]
    [TestCase("10.0.0.0/")]
    [TestCase("fd00::/129")]
    [TestCase("10.1")]
    [TestCase("balancer.internal")]
    public void Validation_names_a_bad_entry(string entry)
    {
        var options = new EdgeOptions();
        options.Server.TrustedProxies.Add(entry);

        var errors = options.Validate();

        Assert.That(errors, Has.Some.Contains("Server:TrustedProxies"));
    }
}
