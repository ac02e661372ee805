using Edge.Ingest.Aeron;

namespace Edge.Benchmarks.Aeron;

/// <summary>A struct handler: the receiver calls it without virtual dispatch.</summary>
public struct CountingHandler : IAeronMessageHandler
{
    public long Messages;
    public long Bytes;

    public void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header)
    {
        Messages++;
        Bytes += message.Length + message[^1];
    }

    public readonly void OnBatchEnd()
    {
    }

    public readonly void OnImageAvailable(AeronImageInfo image)
    {
    }

    public readonly void OnImageUnavailable(AeronImageInfo image, AeronImageEndReason reason, long position)
    {
    }

    public readonly void OnFeedUp()
    {
    }

    public readonly void OnFeedDown()
    {
    }
}
