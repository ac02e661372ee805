using System.Text;
using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;
using Edge.Server.Transport;

namespace Edge.Server.Tests.Transport;

/// <summary>A connection's cork is reused across drains only once DotNetty has let go of it.</summary>
public sealed class ChannelTransportCorkTests
{
    [Test]
    public void A_written_cork_is_refilled_for_the_next_drain_and_a_cork_still_in_flight_is_never_overwritten()
    {
        var channel = new EmbeddedChannel();
        try
        {
            var transport = new ChannelTransport(channel);
            transport.Cork("first"u8);
            transport.Cork("+more"u8);
            transport.FlushCork();
            var first = channel.ReadOutbound<IByteBuffer>();
            Assert.That(Text(first), Is.EqualTo("first+more"));
            first.Release();

            // DotNetty released it: the next drain refills the same buffer.
            transport.Cork("second"u8);
            transport.FlushCork();
            var second = channel.ReadOutbound<IByteBuffer>();
            Assert.That(second, Is.SameAs(first));
            Assert.That(Text(second), Is.EqualTo("second"));

            // Still queued (not released): the next drain must take another buffer.
            transport.Cork("third"u8);
            transport.FlushCork();
            var third = channel.ReadOutbound<IByteBuffer>();
            Assert.That(third, Is.Not.SameAs(second));
            Assert.That(Text(second), Is.EqualTo("second"), "bytes in flight are untouched");
            Assert.That(Text(third), Is.EqualTo("third"));

            second.Release();
            Assert.That(second.ReferenceCount, Is.Zero, "the superseded cork went back to the pool with its write");
            third.Release();
            transport.ReleaseCork();
            Assert.That(third.ReferenceCount, Is.Zero, "releasing the kept cork gives it back");
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
            var transport = new ChannelTransport(channel);
            transport.Cork("one"u8);
            transport.FlushCork();
            channel.ReadOutbound<IByteBuffer>().Release();

            transport.FlushCork();

            Assert.That(channel.ReadOutbound<IByteBuffer>(), Is.Null);
            transport.ReleaseCork();
        }
        finally
        {
            channel.FinishAndReleaseAll();
        }
    }

    private static string Text(IByteBuffer buffer) => buffer.ToString(Encoding.ASCII);
}
