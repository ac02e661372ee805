using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Edge.Benchmarks.Ring;

/// <summary>
/// What every ring benchmark reports: allocations (the ring must not allocate), operations per second (events/s
/// with OperationsPerInvoke = events) and the median.
/// </summary>
public sealed class RingBenchmarkConfig : ManualConfig
{
    public RingBenchmarkConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);
    }
}
