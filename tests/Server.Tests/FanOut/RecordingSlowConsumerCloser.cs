using Edge.Server.FanOut;

namespace Edge.Server.Tests.FanOut;

/// <summary>Records the fan-out's slow-consumer closes instead of closing anything.</summary>
internal sealed class RecordingSlowConsumerCloser : ISlowConsumerCloser
{
    public List<(FanOutSession Session, string Reason)> Closed { get; } = [];

    public void CloseSlowConsumer(FanOutSession session, string reason) => Closed.Add((session, reason));
}
