namespace Edge.Ingest.Tests.Aeron;

/// <summary>What the channel parser accepts, and what it refuses with a reason.</summary>
public sealed class AeronChannelTests
{
    [Test]
    public void A_multicast_subscription_derives_its_control_group()
    {
        var channel = AeronChannel.Parse("aeron:udp?endpoint=239.1.2.3:40456|interface=127.0.0.1|ttl=4|rcv-wnd=64k", AeronChannelUse.Subscription);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(channel.Kind, Is.EqualTo(AeronChannelKind.Multicast));
            Assert.That(channel.Endpoint, Is.EqualTo(IPEndPoint.Parse("239.1.2.3:40456")));
            Assert.That(channel.Control, Is.EqualTo(IPEndPoint.Parse("239.1.2.4:40456")));
            Assert.That(channel.ResolveInterface(), Is.EqualTo(IPAddress.Loopback));
            Assert.That(channel.Ttl, Is.EqualTo(4));
            Assert.That(channel.ReceiverWindowLength, Is.EqualTo(65536));
        }
    }

    [Test]
    public void An_interface_network_resolves_to_this_hosts_address_in_it()
    {
        var channel = AeronChannel.Parse("aeron:udp?endpoint=239.1.2.3:40456|interface=127.0.0.0/8", AeronChannelUse.Subscription);
        Assert.That(channel.ResolveInterface().GetAddressBytes()[0], Is.EqualTo(127));
    }

    [Test]
    public void Mdc_subscription_and_publication()
    {
        var subscription = AeronChannel.Parse("aeron:udp?endpoint=0.0.0.0:0|control=10.0.0.9:40460", AeronChannelUse.Subscription);
        var publication = AeronChannel.Parse("aeron:udp?control=10.0.0.9:40460|control-mode=dynamic|fc=min,t:2s", AeronChannelUse.Publication);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(subscription.Kind, Is.EqualTo(AeronChannelKind.Mdc));
            Assert.That(subscription.Control, Is.EqualTo(IPEndPoint.Parse("10.0.0.9:40460")));
            Assert.That(publication.Kind, Is.EqualTo(AeronChannelKind.Mdc));
            Assert.That(publication.FlowControl, Is.EqualTo(AeronFlowControl.Min));
            Assert.That(publication.FlowControlReceiverTimeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
        }
    }

    [Test]
    public void Real_driver_channel_strings_parse_with_host_names_resolved_and_ignored_keys_accepted()
    {
        var subscription = AeronChannel.Parse(
            "aeron:udp?endpoint=localhost:40457|control=localhost:40460|control-mode=dynamic|alias=md|reliable=true|tether=false|sparse=true|gtag=7|interface=127.0.0.1",
            AeronChannelUse.Subscription);
        var multicast = AeronChannel.Parse("aeron:udp?endpoint=239.1.2.3:40456|interface=localhost|alias=md", AeronChannelUse.Subscription);
        var publication = AeronChannel.Parse(
            "aeron:udp?control=localhost:40460|control-mode=dynamic|session-id=-77|alias=md|sparse=false|tether=true|reliable=true",
            AeronChannelUse.Publication);
        var publisherOptions = AeronPublisherOptions.ForChannel("aeron:udp?endpoint=localhost:40461|session-id=1234");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(subscription.Kind, Is.EqualTo(AeronChannelKind.Mdc));
            Assert.That(subscription.Endpoint, Is.EqualTo(IPEndPoint.Parse("127.0.0.1:40457")));
            Assert.That(subscription.Control, Is.EqualTo(IPEndPoint.Parse("127.0.0.1:40460")));
            Assert.That(subscription.InterfaceAddress, Is.Null, "interface= on an MDC subscription is ignored: the socket binds endpoint=");
            Assert.That(multicast.ResolveInterface(), Is.EqualTo(IPAddress.Loopback));
            Assert.That(publication.Control, Is.EqualTo(IPEndPoint.Parse("127.0.0.1:40460")));
            Assert.That(publication.SessionId, Is.EqualTo(-77));
            Assert.That(publisherOptions.Destination, Is.EqualTo(IPEndPoint.Parse("127.0.0.1:40461")));
            Assert.That(publisherOptions.SessionId, Is.EqualTo(1234));
        }
    }

    [TestCase("udp://239.1.2.3:40456", "must start with")]
    [TestCase("aeron:udp?endpoint=239.1.2.4:40456", "must be odd")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|control-mode=manual", "control-mode=manual is not supported on a subscription")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|control=10.0.0.1:1", "does not go with a multicast endpoint")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|reliable=false", "reliable=false is not supported")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|reliable=maybe", "must be true or false")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|session-id=5", "session-id= on a subscription is not supported")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|linger=1s", "'linger' is not a subscription setting")]
    [TestCase("aeron:udp?endpoint=no-such-host.invalid:40456", "host name 'no-such-host.invalid'")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|term-length=64k", "the publisher's")]
    [TestCase("aeron:udp?endpoint=10.0.0.1:40456|ttl=2", "ttl= only goes with a multicast endpoint")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|ttl=300", "ttl=300")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|interface=eth0", "interface=eth0")]
    [TestCase("aeron:udp?endpoint=239.1.2.3", "not address:port")]
    [TestCase("aeron:udp?endpoint=10.0.0.1:1|endpoint=10.0.0.1:2", "given twice")]
    [TestCase("aeron:udp?alias=md", "needs endpoint=")]
    [TestCase("aeron:udp?endpoint=0.0.0.0:0|control=239.1.2.3:40460", "must be a unicast address")]
    public void Subscription_refusals(string text, string reason)
    {
        Assert.That(AeronChannel.TryParse(text, AeronChannelUse.Subscription, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [TestCase("aeron:udp?control=10.0.0.1:40460", "needs control-mode=dynamic")]
    [TestCase("aeron:udp?control=10.0.0.1:40460|control-mode=manual", "control-mode=manual is not supported")]
    [TestCase("aeron:udp?endpoint=10.0.0.1:1|control=10.0.0.1:40460|control-mode=dynamic", "has no endpoint=")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|fc=tagged,g:1", "fc=tagged is not supported")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|fc=min,t:soon", "receiver timeout")]
    [TestCase("aeron:udp?endpoint=10.0.0.1:40456|fc=min", "only goes with several receivers")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|rcv-wnd=64k", "not a publication setting")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|reliable=false", "reliable=false is not supported")]
    [TestCase("aeron:udp?endpoint=239.1.2.3:40456|session-id=abc", "session-id=abc must be a 32-bit integer")]
    [TestCase("aeron:udp?control=no-such-host.invalid:40460|control-mode=dynamic", "host name 'no-such-host.invalid'")]
    public void Publication_refusals(string text, string reason)
    {
        Assert.That(AeronChannel.TryParse(text, AeronChannelUse.Publication, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }
}
