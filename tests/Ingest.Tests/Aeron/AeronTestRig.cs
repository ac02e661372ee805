namespace Edge.Ingest.Tests.Aeron;

/// <summary>Options and helpers shared by the loopback tests: sockets on 127.0.0.1, OS-chosen ports.</summary>
internal static class AeronTestRig
{
    public const int StreamId = 1001;

    public static AeronReceiverOptions ReceiverOptions(Action<AeronReceiverOptions>? configure = null)
    {
        var options = new AeronReceiverOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            StreamId = StreamId,
            ImageLivenessTimeout = TimeSpan.FromSeconds(10),
            SocketReceiveBufferSize = 2 * 1024 * 1024,
        };
        configure?.Invoke(options);
        return options;
    }

    public static AeronPublisherOptions PublisherOptions(IPEndPoint destination, Action<AeronPublisherOptions>? configure = null)
    {
        var options = new AeronPublisherOptions
        {
            Destination = destination,
            LocalEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            StreamId = StreamId,
            TermLength = 64 * 1024,
            CloseLingerTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Offers messages <paramref name="first"/>..first+count-1, retrying while back-pressured.</summary>
    public static void OfferAll(AeronPublisher publisher, long first, int count, Func<long, int> length)
    {
        var buffer = new byte[publisher.MaxMessageLength];
        var deadline = DateTime.UtcNow + Wait.Generous;
        for (var sequence = first; sequence < first + count; sequence++)
        {
            var message = buffer.AsSpan(0, length(sequence));
            TestMessages.Fill(message, sequence);
            while (true)
            {
                var result = publisher.Offer(message);
                if (result == AeronOfferResult.Success)
                {
                    break;
                }

                Assert.That(result, Is.AnyOf(AeronOfferResult.BackPressured, AeronOfferResult.NotConnected), "offer result");
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"Offer of {sequence} kept failing with {result}");
                }

                Thread.Sleep(1);
            }
        }
    }

    /// <summary>
    /// A publisher to <paramref name="receiver"/> offers messages 0..count-1 (lengths by <paramref name="length"/>),
    /// waits until <paramref name="handler"/> has them all, then closes (end of stream) and waits until the handler
    /// saw the feed go down. Returns the closed publisher: its session id names the image the messages came on.
    /// </summary>
    public static AeronPublisher PublishAllThenClose(IPEndPoint receiver, RecordingHandler handler, int count, Func<long, int> length)
    {
        var publisher = new AeronPublisher(PublisherOptions(receiver));
        try
        {
            WaitConnected(publisher);
            OfferAll(publisher, 0, count, length);
            Wait.Until(() => handler.Count == count, $"{count} messages");
        }
        finally
        {
            publisher.Dispose();
        }

        Wait.Until(() => handler.FeedDowns == 1, "feed down after end of stream");
        return publisher;
    }

    public static void WaitConnected(AeronPublisher publisher) =>
        Wait.Until(() => publisher.IsConnected, "publisher connected (first status message)");

    /// <summary>The receiver's protocol events, for a failure message: which rare path ran.</summary>
    public static string Describe(AeronReceiverCounters counters) =>
        $"datagrams {counters.DatagramsReceived}, heartbeats {counters.HeartbeatsReceived}, setups {counters.SetupsReceived}, "
        + $"status messages {counters.StatusMessagesSent}, NAKs {counters.NaksSent}, RTTM replies {counters.RttmRepliesSent}, "
        + $"dropped {counters.TotalDropped}, receiver errors {counters.ReceiverErrors}";

    public static long[] Range(long first, int count)
    {
        var result = new long[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = first + i;
        }

        return result;
    }
}
