using Edge.Server.Transport;

namespace Edge.Server.FanOut;

/// <summary>
/// Software pipelines for <see cref="LoopFanOut"/>'s walks over thousands of connections' objects: each asks for the
/// objects a few steps ahead (<see cref="CacheHint"/>), so that the walk's own loads meet the cache instead of
/// stalling on memory. Hints only: no behaviour depends on them.
/// </summary>
internal static class WalkPrefetch
{
    /// <summary>
    /// A software pipeline over the sessions a flush writes, a hint only: the session four ahead, the transport three
    /// ahead, the socket state (the writer, DotNetty's outbound buffer, the handle) two ahead, so that each write's loads
    /// meet the cache. The drain's walk has evicted them since it corked: in profiles at 500 k deliveries/s these loads were
    /// most of the flush's and the direct writer's time.
    /// </summary>
    public static void FlushesAhead(List<FanOutSession> touched, int i)
    {
        var count = touched.Count;
        if (i + 4 < count)
        {
            CacheHint.Prefetch(touched[i + 4]);
        }

        if (i + 3 < count)
        {
            CacheHint.Prefetch(touched[i + 3].Transport);
        }

        if (i + 2 < count)
        {
            touched[i + 2].Transport.PrefetchFlushState();
        }
    }

    /// <summary>
    /// A symbol's subscribers during the walk: subscriptions six ahead, their sessions four ahead, transports
    /// two ahead (what a delivery loads: the subscription, its session, the session's cork).
    /// </summary>
    public static void SubscribersAhead(SubscriberSet set, int i)
    {
        var count = set.Count;
        if (i + 6 < count)
        {
            CacheHint.Prefetch(set[i + 6]);
        }

        if (i + 4 < count)
        {
            CacheHint.Prefetch(set[i + 4].Session);
        }

        if (i + 2 < count)
        {
            CacheHint.Prefetch(set[i + 2].Session.Transport);
        }
    }
}
