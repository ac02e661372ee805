using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Edge.Benchmarks.Ring;

/// <summary>Adds operations per second (events/s with OperationsPerInvoke = events) and the median.</summary>
public sealed class RingBenchmarkConfig : ManualConfig
{
    public RingBenchmarkConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);
    }
}
