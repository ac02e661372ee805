using DotNetty.Buffers;

namespace Edge.Server.Transport;

/// <summary>
/// The pooled buffer allocator of every connection, sized for an edge server rather than DotNetty's defaults
/// (two arenas per core, 16 MiB chunks): one arena per event loop (the loop is the only thread that allocates
/// for its channels), 1 MiB chunks, and a small per-thread cache of mid-size buffers. A buffer above the chunk
/// size (a large message on the echo endpoint, a large SSE snapshot) is then allocated on its own and freed
/// with its last release instead of pinning a whole pooled chunk; the price path's buffers (corks, frames,
/// reads) are far smaller. <see cref="Hosting.BurstMemoryTrimmer"/> gives the freed memory back to the OS.
/// </summary>
internal static class EdgeBufferPool
{
    /// <summary>8 KiB pages (DotNetty's default).</summary>
    public const int PageSize = 8192;

    /// <summary>8 KiB &lt;&lt; 7 = 1 MiB chunks: the largest pooled buffer.</summary>
    public const int MaxOrder = 7;

    /// <summary>The largest buffer served from a pooled chunk; larger ones are allocated unpooled.</summary>
    public const int ChunkBytes = PageSize << MaxOrder;

    /// <summary>Cached 8–32 KiB buffers per thread (DotNetty: 64 per size): a few hundred KiB a loop at most.</summary>
    public const int NormalCacheSize = 16;

    public static PooledByteBufferAllocator Create(int eventLoops)
    {
        var arenas = Math.Max(1, eventLoops);
        return new PooledByteBufferAllocator(
            PooledByteBufferAllocator.DefaultPreferDirect,
            arenas,
            arenas,
            PageSize,
            MaxOrder,
            PooledByteBufferAllocator.DefaultTinyCacheSize,
            PooledByteBufferAllocator.DefaultSmallCacheSize,
            NormalCacheSize);
    }
}
