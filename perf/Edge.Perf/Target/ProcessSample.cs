namespace Edge.Perf.Target;

/// <summary>CPU time (user + system) and resident memory of a process at one moment, from /proc.</summary>
internal readonly record struct ProcessSample(double CpuSeconds, long RssBytes, long WallTicks);
