namespace Edge.Server.FanOut;

/// <summary>Closes a client the fan-out gave up on (close code 4008), in the client's own protocol.</summary>
public interface ISlowConsumerCloser
{
    void CloseSlowConsumer(FanOutSession session, string reason);
}
