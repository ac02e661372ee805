using System.Net;
using BenchmarkDotNet.Attributes;
using Edge.Ingest.Aeron;

namespace Edge.Benchmarks.Aeron;

/// <summary>
/// Publisher → receiver → handler over loopback UDP, both in this process (publisher duty thread, receiver thread
/// and the offering benchmark thread on a 2-core machine). One operation = one 32-byte message offered and
/// delivered; frames are batched into MTU-sized datagrams by the publisher whenever it falls behind the offers.
/// </summary>
[MemoryDiagnoser]
public class AeronLoopbackBenchmarks
{
    private const int MessagesPerInvoke = 50_000;

    private readonly byte[] _message = new byte[32];
    private readonly CountingClassHandler _handler = new();
    private AeronReceiver<CountingClassHandler> _receiver = null!;
    private AeronPublisher _publisher = null!;
    private long _expected;

    [GlobalSetup]
    public void Setup()
    {
        _receiver = new AeronReceiver<CountingClassHandler>(
            new AeronReceiverOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), StreamId = 1001 }, _handler);
        _receiver.Start();
        _publisher = new AeronPublisher(new AeronPublisherOptions
        {
            Destination = _receiver.LocalEndPoint,
            LocalEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            StreamId = 1001,
            TermLength = 16 * 1024 * 1024,
        });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_publisher.IsConnected && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        if (!_publisher.IsConnected)
        {
            throw new InvalidOperationException("publisher did not connect");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _publisher.Dispose();
        _receiver.Dispose();
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public void OfferAndReceive()
    {
        var spin = default(SpinWait);
        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            _message[^1] = (byte)i;
            while (_publisher.Offer(_message) != AeronOfferResult.Success)
            {
                spin.SpinOnce();
            }
        }

        _expected += MessagesPerInvoke;
        while (_handler.Messages < _expected)
        {
            spin.SpinOnce();
        }
    }
}
