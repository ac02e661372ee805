using Edge.Ingest.Aeron;

namespace Edge.Benchmarks.Aeron;

/// <summary>The same handler as a sealed class (shared generic code, interface dispatch), for comparison.</summary>
public sealed class CountingClassHandler : IAeronMessageHandler
{
    private long _messages;

    public long Messages => Volatile.Read(ref _messages);

    public long Bytes { get; private set; }

    public void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header)
    {
        Volatile.Write(ref _messages, _messages + 1);
        Bytes += message.Length + message[^1];
    }

    public void OnBatchEnd()
    {
    }

    public void OnImageAvailable(AeronImageInfo image)
    {
    }

    public void OnImageUnavailable(AeronImageInfo image, AeronImageEndReason reason, long position)
    {
    }

    public void OnFeedUp()
    {
    }

    public void OnFeedDown()
    {
    }
}
