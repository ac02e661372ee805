using System.Net;
using Edge.Ingest.Aeron;
using Edge.Protocol;
using Edge.Protocol.Ingest;

namespace Edge.Client.Tests.Support;

/// <summary>A test upstream (copied from the end-to-end tests): Edge's Aeron publisher sending ingest price messages to a running Edge over loopback UDP.</summary>
internal sealed class UpstreamFeed : IDisposable
{
    private readonly AeronPublisher _publisher;
    private readonly byte[] _message = new byte[IngestSchema.MaxMessageLength];

    public UpstreamFeed(IPEndPoint ingest, int streamId = 1001)
    {
        _publisher = new AeronPublisher(new AeronPublisherOptions { Destination = ingest, StreamId = streamId });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_publisher.IsConnected)
        {
            Assert.That(timeout.IsCancellationRequested, Is.False, "the feed connected to Edge's receiver");
            Thread.Sleep(5);
        }
    }

    public void Publish(string symbol, double bid, double ask, ulong sequence)
    {
        var quote = new Quote(bid, 1_000_000, ask, 1_500_000, 1_700_000_000_000_000_000 + (long)sequence, sequence);
        var length = IngestPriceEncoder.Encode(_message, symbol, "LP1", "LP2", quote);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_publisher.Offer(_message.AsSpan(0, length)) != AeronOfferResult.Success)
        {
            Assert.That(timeout.IsCancellationRequested, Is.False, "the feed was back-pressured too long");
            Thread.Yield();
        }
    }

    public void Dispose() => _publisher.Dispose();
}
