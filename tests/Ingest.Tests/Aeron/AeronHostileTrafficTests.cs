using System.Buffers.Binary;

namespace Edge.Ingest.Tests.Aeron;

/// <summary>Garbage fired at the receiver from another socket while a real stream flows.</summary>
public sealed class AeronHostileTrafficTests
{
    private const int HostileSession = 666;

    [Test]
    public void Garbage_is_counted_by_reason_and_the_real_stream_is_unharmed()
    {
        var handler = new RecordingHandler();
        var errors = new List<Exception>();
        using var receiver = new AeronReceiver<RecordingHandler>(
            AeronTestRig.ReceiverOptions(o =>
            {
                o.MaxImages = 4;
                o.PendingImageTimeout = TimeSpan.FromSeconds(5);
            }),
            handler,
            e => { lock (errors) { errors.Add(e); } });
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        using var attacker = new RawUdpPeer();
        AeronTestRig.WaitConnected(publisher);
        var target = receiver.LocalEndPoint;
        var random = new Random(1234);
        var hostile = new FrameBuilder(HostileSession, AeronTestRig.StreamId, 0, 65536);

        // An image of the attacker's own, so that its lying DATA reaches the per-frame checks.
        attacker.Send(hostile.Setup(0, 0), target);
        Wait.Until(() => receiver.Counters.ImagesCreated == 2, "the attacker's image");

        const int count = 3000;
        var offered = 0;
        for (var round = 0; round < 30; round++)
        {
            AeronTestRig.OfferAll(publisher, offered, count / 30, sequence => 8 + (int)(sequence % 100));
            offered += count / 30;
            FireGarbage(attacker, target, hostile, random, round);
        }

        Wait.Until(() => handler.Count >= count, $"{count} real messages");
        var counters = receiver.Counters;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Sequences(publisher.SessionId), Is.EqualTo(AeronTestRig.Range(0, count)));
            Assert.That(handler.Corrupt, Is.Zero);
            Assert.That(handler.FeedDowns, Is.Zero);
            Assert.That(handler.Available(), Has.Length.EqualTo(1), "no image event for SETUPs that never sent data");
            Assert.That(counters.ReceiverErrors, Is.Zero, "nothing threw inside the receiver");
            Assert.That(errors, Is.Empty);
            foreach (var reason in new[]
            {
                AeronDropReason.TooShort, AeronDropReason.UnsupportedVersion, AeronDropReason.UnhandledFrameType,
                AeronDropReason.OtherStream, AeronDropReason.MalformedFrame, AeronDropReason.BadTermOffset,
                AeronDropReason.InvalidSetup, AeronDropReason.ImageLimitReached, AeronDropReason.UnknownSession,
                AeronDropReason.OverRun,
            })
            {
                Assert.That(counters.Dropped(reason), Is.GreaterThan(0), reason.ToString());
            }

            Assert.That(counters.Images, Is.LessThanOrEqualTo(4), "the image cap held");
        }

        // The flood's images never saw data: they expire, and a new real publisher gets a slot.
        Wait.Until(() => receiver.Counters.Images == 1, "pending flood images expired");
        using var second = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        AeronTestRig.WaitConnected(second);
        AeronTestRig.OfferAll(second, 0, 10, _ => 16);
        Wait.Until(() => handler.Sequences(second.SessionId).Length == 10, "a new publisher after the flood");
    }

    private static void FireGarbage(RawUdpPeer attacker, System.Net.IPEndPoint target, FrameBuilder hostile, Random random, int round)
    {
        // Random bytes of random lengths, including empty and tiny datagrams.
        for (var i = 0; i < 20; i++)
        {
            var junk = new byte[random.Next(0, 1500)];
            random.NextBytes(junk);
            attacker.Send(junk, target);
        }

        // Truncated frames: a common header cut short, a DATA and a SETUP shorter than their minimum.
        attacker.Send(new byte[7], target);
        attacker.Send(hostile.Messages(0, 0, 0, 1, 50)[..20], target);
        attacker.Send(hostile.Setup(0, 0)[..30], target);

        // Wrong version.
        var versioned = hostile.Messages(0, 0, 0, 1, 50);
        versioned[4] = 1;
        attacker.Send(versioned, target);

        // Frame types a receiver does not take.
        var nak = new byte[28];
        NakFlyweight.Encode(nak, HostileSession, AeronTestRig.StreamId, 0, 0, 64);
        attacker.Send(nak, target);

        // Another stream.
        attacker.Send(hostile.Setup(0, 0, streamId: 9999), target);

        // Lying lengths on the attacker's own image: longer than the datagram, shorter than a header, past the MTU.
        var lying = hostile.Messages(0, 64 * (round + 1), 0, 1, 50);
        BinaryPrimitives.WriteInt32LittleEndian(lying, 5000);
        attacker.Send(lying, target);
        BinaryPrimitives.WriteInt32LittleEndian(lying, 12);
        attacker.Send(lying, target);

        // Offsets out of range or unaligned.
        attacker.Send(hostile.Messages(0, 65536 + 64, 0, 1, 8), target);
        attacker.Send(hostile.Messages(0, 100, 0, 1, 8), target);
        var negative = hostile.Messages(0, 0, 0, 1, 8);
        BinaryPrimitives.WriteInt32LittleEndian(negative.AsSpan(8), -64);
        attacker.Send(negative, target);

        // Far beyond the window.
        attacker.Send(hostile.Messages(500, 0, 0, 1, 8), target);

        // Absurd SETUPs.
        attacker.Send(hostile.Setup(0, 0, termLength: 12345), target);
        attacker.Send(hostile.Setup(0, 0, termLength: int.MaxValue), target);
        attacker.Send(hostile.Setup(0, 0, mtu: 70000), target);
        attacker.Send(hostile.Setup(0, 0, mtu: 33), target);

        // A SETUP flood with new session ids: beyond the cap of 4 images.
        for (var session = 0; session < 10; session++)
        {
            attacker.Send(hostile.Setup(0, 0, sessionId: 10_000 + (round * 10) + session), target);
        }

        // DATA for sessions nobody set up.
        attacker.Send(new FrameBuilder(random.Next(), AeronTestRig.StreamId, 0, 65536).Messages(0, 0, 0, 1, 8), target);
    }
}
