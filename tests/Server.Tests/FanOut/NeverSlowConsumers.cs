using Edge.Server.FanOut;

namespace Edge.Server.Tests.FanOut;

/// <summary>A slow-consumer policy for embedded-channel tests, which are never slow: being asked is a failure.</summary>
internal sealed class NeverSlowConsumers : ISlowConsumerCloser
{
    public void CloseSlowConsumer(FanOutSession session, string reason) => Assert.Fail("no subscriber should be judged slow here: " + reason);
}
