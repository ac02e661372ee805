namespace Edge.Server.Transport;

/// <summary>
/// A pipeline handler that may stop accepting application data at some point (a WebSocket codec once its close
/// frame is out). A writer that bypasses the pipeline attaches itself, and the gate stops it at that point.
/// </summary>
public interface IDataWriteGate
{
    /// <summary>
    /// Stop <paramref name="writer"/> (<see cref="DirectSocketWriter.Stop"/>) when no more application data may be
    /// written, or at once if that is already so. Called on the channel's event loop.
    /// </summary>
    void Attach(DirectSocketWriter writer);
}
