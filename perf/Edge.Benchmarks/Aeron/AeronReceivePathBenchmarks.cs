using System.Net;
using BenchmarkDotNet.Attributes;
using Edge.Ingest.Aeron;
using Edge.Protocol.Aeron;

namespace Edge.Benchmarks.Aeron;

/// <summary>
/// The receive path without a socket: pre-built datagrams (22 frames of 64 bytes each, as the C driver batches a
/// burst into 1408-byte datagrams) handed straight to the dispatcher, which places, delivers and clears them, and
/// runs its timers once per term. One operation = one frame (one message).
/// </summary>
[MemoryDiagnoser]
public class AeronReceivePathBenchmarks
{
    private const int TermLength = 64 * 1024;
    private const int FrameLength = 64;
    private const int FramesPerDatagram = 22;
    private const int FramesPerTerm = TermLength / FrameLength;
    private const int SessionId = 7;
    private const int StreamId = 1001;
    private const int InitialTermId = 0;

    private readonly SocketAddress _source = new IPEndPoint(IPAddress.Loopback, 40001).Serialize();
    private byte[][] _datagrams = [];
    private AeronDataPacketDispatcher<CountingHandler> _structDispatcher = null!;
    private AeronDataPacketDispatcher<CountingClassHandler> _classDispatcher = null!;
    private byte[][] _fragmentDatagrams = [];
    private AeronDataPacketDispatcher<CountingHandler> _fragmentDispatcher = null!;
    private int _fragmentTermId;
    private int _structTermId;
    private int _classTermId;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        var datagrams = new List<byte[]>();
        for (var offset = 0; offset < TermLength; offset += FramesPerDatagram * FrameLength)
        {
            var frames = Math.Min(FramesPerDatagram, (TermLength - offset) / FrameLength);
            var datagram = new byte[frames * FrameLength];
            for (var i = 0; i < frames; i++)
            {
                var frame = datagram.AsSpan(i * FrameLength, FrameLength);
                frame[AeronProtocol.DataHeaderLength..].Fill((byte)i);
                DataHeaderFlyweight.Encode(
                    frame, FrameLength, AeronProtocol.UnfragmentedFlags, AeronFrameType.Data,
                    offset + (i * FrameLength), SessionId, StreamId, InitialTermId);
            }

            datagrams.Add(datagram);
        }

        _datagrams = [.. datagrams];
        _fragmentDatagrams = BuildFragmentedTerm();
        _now = 1_000_000_000;
        _structDispatcher = NewDispatcher(new CountingHandler());
        _classDispatcher = NewDispatcher(new CountingClassHandler());
        _fragmentDispatcher = NewDispatcher(new CountingHandler());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerTerm)]
    public void StructHandler() => ReceiveTerm(_structDispatcher, ref _structTermId);

    [Benchmark(OperationsPerInvoke = FramesPerTerm)]
    public void ClassHandler() => ReceiveTerm(_classDispatcher, ref _classTermId);

    /// <summary>3000-byte messages, each 3 fragments (1408 + 1408 + 280 bytes) in its own datagram; one op = one message.</summary>
    [Benchmark(OperationsPerInvoke = FragmentedMessagesPerTerm)]
    public void FragmentedMessages() => ReceiveTerm(_fragmentDispatcher, ref _fragmentTermId, _fragmentDatagrams);

    private const int FragmentedMessageLength = 3000;
    private const int FragmentedMessageFootprint = 1408 + 1408 + 288;
    private const int FragmentedMessagesPerTerm = TermLength / FragmentedMessageFootprint;

    private static byte[][] BuildFragmentedTerm()
    {
        var datagrams = new List<byte[]>();
        var offset = 0;
        for (var message = 0; message < FragmentedMessagesPerTerm; message++)
        {
            var remaining = FragmentedMessageLength;
            var flags = AeronProtocol.BeginFlag;
            while (remaining > 0)
            {
                var payload = Math.Min(remaining, 1408 - AeronProtocol.DataHeaderLength);
                remaining -= payload;
                if (remaining == 0)
                {
                    flags |= AeronProtocol.EndFlag;
                }

                var frameLength = payload + AeronProtocol.DataHeaderLength;
                var datagram = new byte[AeronLogBuffer.Align(frameLength, AeronProtocol.FrameAlignment)];
                datagram.AsSpan(AeronProtocol.DataHeaderLength).Fill((byte)message);
                DataHeaderFlyweight.Encode(datagram, frameLength, flags, AeronFrameType.Data, offset, SessionId, StreamId, InitialTermId);
                datagrams.Add(datagram);
                offset += datagram.Length;
                flags = 0;
            }
        }

        // The rest of the term does not fit another message: a PAD header stands for it.
        var pad = new byte[AeronProtocol.DataHeaderLength];
        DataHeaderFlyweight.Encode(pad, TermLength - offset, AeronProtocol.UnfragmentedFlags, AeronFrameType.Pad, offset, SessionId, StreamId, InitialTermId);
        datagrams.Add(pad);
        return [.. datagrams];
    }

    private void ReceiveTerm<THandler>(AeronDataPacketDispatcher<THandler> dispatcher, ref int termId, byte[][]? datagrams = null)
        where THandler : IAeronMessageHandler
    {
        datagrams ??= _datagrams;

        // Stamp this term's id into every frame (one int per frame: what a sender's next term would carry).
        foreach (var datagram in datagrams)
        {
            for (var offset = 0; offset < datagram.Length;)
            {
                var frame = datagram.AsSpan(offset);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(frame[DataHeaderFlyweight.TermIdOffset..], termId);
                offset += datagram.Length == AeronProtocol.DataHeaderLength
                    ? AeronProtocol.DataHeaderLength
                    : AeronLogBuffer.Align(System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(frame), AeronProtocol.FrameAlignment);
            }
        }

        _now += 1_000;
        foreach (var datagram in datagrams)
        {
            dispatcher.OnDatagram(datagram, _source, _now);
        }

        dispatcher.OnTimers(_now);
        termId++;
    }

    private AeronDataPacketDispatcher<THandler> NewDispatcher<THandler>(THandler handler)
        where THandler : IAeronMessageHandler
    {
        var options = new AeronReceiverOptions { StreamId = StreamId, Endpoint = new IPEndPoint(IPAddress.Loopback, 0) };
        var dispatcher = new AeronDataPacketDispatcher<THandler>(
            options, handler, new DiscardingControlTransport(), new AeronReceiverCounters(), 1, null);
        var setup = new byte[AeronProtocol.SetupLength];
        SetupFlyweight.Encode(setup, 0, SessionId, StreamId, InitialTermId, InitialTermId, TermLength, 1408);
        dispatcher.OnDatagram(setup, _source, _now);
        return dispatcher;
    }
}
