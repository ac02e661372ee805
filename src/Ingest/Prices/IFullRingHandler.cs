namespace Edge.Ingest.Prices;

/// <summary>
/// Called by <see cref="PriceIngest"/> on its own thread when the ring has no free slot, before it waits for one: a
/// consumer that runs on that same thread (the fan-out of the event loop that also receives) drains here, or the
/// wait would never end.
/// </summary>
public interface IFullRingHandler
{
    void OnRingFull();
}
