using System.Text;
using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;
using Edge.Protocol.Client;
using Edge.Server.FanOut;

namespace Edge.Server.Tests.FanOut;

/// <summary>The session's cork is reused across drains only once the transport has let go of it.</summary>
public sealed class FanOutSessionCorkTests
{
    [Test]
    public void A_written_cork_is_refilled_for_the_next_drain_and_a_cork_still_in_flight_is_never_overwritten()
    {
        var channel = new EmbeddedChannel();
        try
        {
            var session = new FanOutSession(channel, ClientEncoding.MessagePack, "t");
            session.Cork("first"u8);
            session.Cork("+more"u8);
            session.FlushCork();
            var first = channel.ReadOutbound<IByteBuffer>();
            Assert.That(Text(first), Is.EqualTo("first+more"));
            first.Release();

            // The transport released it: the next drain refills the same buffer.
            session.Cork("second"u8);
            session.FlushCork();
            var second = channel.ReadOutbound<IByteBuffer>();
            Assert.That(second, Is.SameAs(first));
            Assert.That(Text(second), Is.EqualTo("second"));

            // Still queued (not released): the next drain must take another buffer.
            session.Cork("third"u8);
            session.FlushCork();
            var third = channel.ReadOutbound<IByteBuffer>();
            Assert.That(third, Is.Not.SameAs(second));
            Assert.That(Text(second), Is.EqualTo("second"), "bytes in flight are untouched");
            Assert.That(Text(third), Is.EqualTo("third"));

            second.Release();
            Assert.That(second.ReferenceCount, Is.Zero, "the superseded cork went back to the pool with its write");
            third.Release();
            session.ReleaseCork();
            Assert.That(third.ReferenceCount, Is.Zero, "closing the session gives the kept cork back");
        }
        finally
        {
            channel.FinishAndReleaseAll();
        }
    }

    [Test]
    public void A_drain_with_nothing_corked_writes_nothing()
    {
        var channel = new EmbeddedChannel();
        try
        {
            var session = new FanOutSession(channel, ClientEncoding.MessagePack, "t");
            session.Cork("one"u8);
            session.FlushCork();
            channel.ReadOutbound<IByteBuffer>().Release();

            session.FlushCork();

            Assert.That(channel.ReadOutbound<IByteBuffer>(), Is.Null);
            session.ReleaseCork();
        }
        finally
        {
            channel.FinishAndReleaseAll();
        }
    }

    private static string Text(IByteBuffer buffer) => buffer.ToString(Encoding.ASCII);
}
