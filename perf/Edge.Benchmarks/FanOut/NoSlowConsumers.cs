using Edge.Server.FanOut;

namespace Edge.Benchmarks.FanOut;

/// <summary>The benchmarks' slow-consumer policy: there are none (embedded channels are always writable).</summary>
internal sealed class NoSlowConsumers : ISlowConsumerCloser
{
    public void CloseSlowConsumer(FanOutSession session, string reason) =>
        throw new InvalidOperationException("a benchmark subscriber was judged slow: " + reason);
}
