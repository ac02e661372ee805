namespace Edge.Server.Hosting;

/// <summary>
/// Liveness and readiness as the HTTP probes report them. Ready means: listening, ingest bound, and not
/// draining for shutdown. Written by the host, read by any event loop.
/// </summary>
public sealed class HealthState
{
    private volatile bool _listening;
    private volatile bool _draining;

    public bool Ready => _listening && !_draining;

    public bool Draining => _draining;

    public void MarkListening() => _listening = true;

    public void MarkDraining() => _draining = true;
}
