namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// A receiver that stalls: while the gate is shut, the first message blocks the receive thread (so it consumes
/// nothing and sends no status messages), like an Edge that is stopped or overloaded. Records like <see cref="RecordingHandler"/>.
/// </summary>
internal sealed class GatedHandler : IAeronMessageHandler
{
    private readonly ManualResetEventSlim _gate = new(true);
    private volatile bool _blocked;

    public RecordingHandler Recorded { get; } = new();

    /// <summary>True while the receive thread waits at the shut gate.</summary>
    public bool Blocked => _blocked;

    public void Shut() => _gate.Reset();

    public void Open() => _gate.Set();

    public void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header)
    {
        if (!_gate.IsSet)
        {
            _blocked = true;
            _gate.Wait();
            _blocked = false;
        }

        Recorded.OnMessage(message, header);
    }

    public void OnBatchEnd() => Recorded.OnBatchEnd();

    public void OnImageAvailable(AeronImageInfo image) => Recorded.OnImageAvailable(image);

    public void OnImageUnavailable(AeronImageInfo image, AeronImageEndReason reason, long position) =>
        Recorded.OnImageUnavailable(image, reason, position);

    public void OnFeedUp() => Recorded.OnFeedUp();

    public void OnFeedDown() => Recorded.OnFeedDown();
}
