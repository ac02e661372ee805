using System.Diagnostics;

namespace Edge.Server.Metrics;

/// <summary>The standard process_* metrics Prometheus users expect, read at scrape time.</summary>
public static class ProcessMetrics
{
    private static readonly string[] GenerationLabels =
        ["generation=\"0\"", "generation=\"1\"", "generation=\"2\"", "generation=\"loh\"", "generation=\"poh\""];

    public static void Register(MetricsRegistry registry)
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        registry.Observe("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", MetricType.Counter,
            static () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
        registry.Observe("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType.Gauge,
            static () => Environment.WorkingSet);
        registry.Observe("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", MetricType.Gauge,
            () => started);
        registry.Observe("dotnet_gc_heap_bytes", "Managed heap size in bytes.", MetricType.Gauge,
            static () => GC.GetTotalMemory(false));
        registry.Observe("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.", MetricType.Counter,
            static () => GC.GetTotalAllocatedBytes(false));
        registry.Observe("dotnet_gc_collections_total", "Garbage collections since start (all generations).", MetricType.Counter,
            static () => GC.CollectionCount(0));
        registry.Observe("dotnet_gc_committed_bytes", "Memory the GC has committed for the managed heap, as of the last collection.", MetricType.Gauge,
            static () => GC.GetGCMemoryInfo().TotalCommittedBytes);
        registry.Observe("dotnet_gc_fragmented_bytes", "Free space inside the managed heap, as of the last collection.", MetricType.Gauge,
            static () => GC.GetGCMemoryInfo().FragmentedBytes);
        // Per generation (0, 1, 2, large objects, pinned objects): where the heap's size sits, for sizing the GC and the pools.
        registry.ObserveEach("dotnet_gc_generation_size_bytes", "Size of each managed heap generation after the last collection.", MetricType.Gauge,
            static readings =>
            {
                var generations = GC.GetGCMemoryInfo().GenerationInfo;
                for (var i = 0; i < generations.Length; i++)
                {
                    readings.Add(new KeyValuePair<string, long>(GenerationLabels[Math.Min(i, GenerationLabels.Length - 1)], generations[i].SizeAfterBytes));
                }
            });
        registry.Observe("process_threads", "Threads in the process.", MetricType.Gauge,
            static () => Process.GetCurrentProcess().Threads.Count);
    }
}
