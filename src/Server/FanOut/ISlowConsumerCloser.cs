namespace Edge.Server.FanOut;

/// <summary>Closes a client the fan-out gave up on (close code 4008), in the client's own protocol.</summary>
public interface ISlowConsumerCloser
{
    /// <summary>
    /// Called on the session's event loop, after the session was unregistered and its connection's write backlog
    /// dropped: what the closer writes now (the close frame, a last event) follows what DotNetty already holds.
    /// </summary>
    void CloseSlowConsumer(FanOutSession session, string reason);
}
