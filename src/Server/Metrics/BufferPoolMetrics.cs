using DotNetty.Buffers;

namespace Edge.Server.Metrics;

/// <summary>
/// The pooled allocator's memory at /metrics: the chunks it holds (resident once touched) and the bytes of them in use,
/// so an operator sizing memory can tell the pool's share of RSS from the managed heap's other objects.
/// </summary>
public static class BufferPoolMetrics
{
    public static void Register(MetricsRegistry registry, PooledByteBufferAllocator allocator)
    {
        registry.Observe("edge_buffer_pool_chunk_bytes", "Bytes of the chunks the pooled buffer allocator holds.", MetricType.Gauge,
            () => Sum(allocator, used: false));
        registry.Observe("edge_buffer_pool_used_bytes", "Bytes of those chunks handed out to buffers now (including per-thread caches).", MetricType.Gauge,
            () => Sum(allocator, used: true));
    }

    private static long Sum(PooledByteBufferAllocator allocator, bool used)
    {
        long total = 0;
        var metric = allocator.Metric;
        foreach (var arenas in (IReadOnlyList<IPoolArenaMetric>[])[metric.HeapArenas(), metric.DirectArenas()])
        {
            foreach (var arena in arenas)
            {
                foreach (var list in arena.ChunkLists)
                {
                    foreach (var chunk in list)
                    {
                        total += used ? chunk.ChunkSize - chunk.FreeBytes : chunk.ChunkSize;
                    }
                }
            }
        }

        return total;
    }
}
