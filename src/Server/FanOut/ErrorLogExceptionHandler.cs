using Edge.Ingest.Prices;
using Edge.Ingest.Ring;
using Edge.Server.Metrics;

namespace Edge.Server.FanOut;

/// <summary>A ring consumer's handler exceptions go to Edge's one <see cref="ErrorLog"/> (not standard error).</summary>
internal sealed class ErrorLogExceptionHandler(ErrorLog errors, string source) : IEventExceptionHandler<PriceSlot>
{
    public void HandleEventException(Exception exception, long sequence, ref PriceSlot slot, string processorName) =>
        errors.Record(source, exception);
}
