using System.Net;
using Edge.Ingest.Aeron;
using Edge.Server.Hosting;
using Edge.Server.Tests.Auth;

namespace Edge.Server.Tests.Hosting;

/// <summary>The log lines an operator gets for publishers: a refused SETUP says why, from where, for which session.</summary>
public sealed class FeedHealthObserverTests
{
    [Test]
    public void A_refused_setup_is_logged_as_a_warning_with_its_source_session_stream_and_reason()
    {
        var logger = new CapturingLogger<FeedHealthObserver>();
        var observer = new FeedHealthObserver(new HealthState(), logger);

        observer.OnSetupRefused(new AeronSetupRefusal(
            AeronSetupRefusalReason.MtuAboveReceiverWindow, new IPEndPoint(IPAddress.Loopback, 40123), 7, 1001, 65536, 65504, 0, 32768, 12));

        var entry = logger.Entries.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry, Does.StartWith("Warning "));
            Assert.That(entry, Does.Contain("SETUP from 127.0.0.1:40123 session 7 stream 1001: MtuAboveReceiverWindow"));
            Assert.That(entry, Does.Contain("MTU 65504 is larger than the receiver window 32768"));
            Assert.That(entry, Does.Contain("(12 more refusals from it since the last report)"));
        }
    }

    [Test]
    public void A_restarted_publisher_is_logged_as_having_left_with_that_reason()
    {
        var logger = new CapturingLogger<FeedHealthObserver>();
        var observer = new FeedHealthObserver(new HealthState(), logger);
        var image = new AeronImageInfo(1, 7, 1001, new IPEndPoint(IPAddress.Loopback, 40123), 100, 65536, 1408, 0);

        observer.OnPublisherLeft(image, AeronImageEndReason.PublisherRestarted);

        Assert.That(logger.Entries.Single(), Does.Contain("Upstream publisher left: session 7 stream 1001 (PublisherRestarted)"));
    }
}
