namespace Edge.Ingest.Aeron;

/// <summary>Reports an exception to the owner's callback; a callback that throws is ignored, never propagated.</summary>
internal static class ErrorCallback
{
    public static void Report(Action<Exception>? callback, Exception error)
    {
        if (callback is null)
        {
            return;
        }

        try
        {
            callback(error);
        }
        catch (Exception)
        {
            // The receive thread must survive a broken logger; the counters still tell.
        }
    }
}
