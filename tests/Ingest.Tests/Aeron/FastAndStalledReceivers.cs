namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// The flow-control rig: one multicast publication and two receivers on its group, a fast one that records and a
/// slow one that can be stalled (<see cref="GatedHandler"/>), connected (the publisher has both receivers' status
/// messages) once constructed. Dispose opens the gate first, so a stalled receive thread can stop.
/// </summary>
internal sealed class FastAndStalledReceivers : IDisposable
{
    private readonly AeronReceiver<RecordingHandler> _fastReceiver;

    /// <summary>
    /// Starts both receivers and a publication to a fresh group with <paramref name="publicationParameters"/> after
    /// the interface (e.g. "|fc=min,t:60s"), and waits until the publisher counts both receivers.
    /// </summary>
    public FastAndStalledReceivers(
        string publicationParameters,
        Action<AeronReceiverOptions>? configureSlow = null,
        Action<AeronPublisherOptions>? configurePublisher = null)
    {
        var group = MulticastRig.NewGroup();
        _fastReceiver = new AeronReceiver<RecordingHandler>(MulticastRig.Receiver(MulticastRig.SubscriptionChannel(group)), Fast);
        SlowReceiver = new AeronReceiver<GatedHandler>(MulticastRig.Receiver(MulticastRig.SubscriptionChannel(group), configureSlow), Slow);
        _fastReceiver.Start();
        SlowReceiver.Start();
        Publisher = new AeronPublisher(
            MulticastRig.Publisher($"aeron:udp?endpoint={group}|interface=127.0.0.1{publicationParameters}", configurePublisher));
        try
        {
            Wait.Until(() => Publisher.ReceiverCount == 2, "both receivers connected");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public RecordingHandler Fast { get; } = new();

    public GatedHandler Slow { get; } = new();

    public AeronReceiver<GatedHandler> SlowReceiver { get; }

    public AeronPublisher Publisher { get; }

    public void Dispose()
    {
        Slow.Open();
        Publisher.Dispose();
        SlowReceiver.Dispose();
        _fastReceiver.Dispose();
    }
}
