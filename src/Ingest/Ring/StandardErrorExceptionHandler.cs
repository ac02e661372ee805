using System.Globalization;

namespace Edge.Ingest.Ring;

/// <summary>
/// The default exception handler: writes to standard error, in full for the first
/// <see cref="FullReports"/> exceptions, then one line every <see cref="ReportEvery"/> (a handler failing on
/// every event must not turn the processor into a log writer). Replace it with one that logs through the
/// application's logger.
/// </summary>
public sealed class StandardErrorExceptionHandler<T> : IEventExceptionHandler<T>
    where T : struct
{
    public const int FullReports = 10;
    public const int ReportEvery = 10_000;

    private long _seen;

    public void HandleEventException(Exception exception, long sequence, ref T slot, string processorName)
    {
        var seen = Interlocked.Increment(ref _seen);
        if (seen <= FullReports)
        {
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ring processor '{processorName}': handler failed at sequence {sequence}, event skipped: {exception}"));
        }
        else if (seen % ReportEvery == 0)
        {
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ring processor '{processorName}': {seen} handler failures so far, latest at sequence {sequence}: {exception.GetType().Name}: {exception.Message}"));
        }
    }
}
