namespace Edge.Server.Transport;

/// <summary>
/// A pipeline handler that may stop accepting application data at some point (a WebSocket codec once its close
/// frame is out). Writes that bypass the pipeline ask it first.
/// </summary>
public interface IDataWriteGate
{
    /// <summary>False once no more application data may be written to the connection.</summary>
    bool AcceptsData { get; }
}
